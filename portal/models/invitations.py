"""Invitations to give views, the messages that carry them, and signing in with them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.roles import InviteeRole
from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.authorities import LocalAuthority, StaffUser
    from portal.models.children import Review
    from portal.models.consultations import Consultation


class Invitation(Model):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=InviteeRole.CHILD)
    invitee_name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(20), default="en_GB")
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str | None] = mapped_column(String(200))
    failed_secret_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How to reach them; the printable letter needs neither.
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # letter, email or sms: see portal.notifications.
    channel: Mapped[str] = mapped_column(String(20), default="letter")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # health, education or other, for a professional (portal.domain.roles.ProfessionalKind).
    professional_kind: Mapped[str | None] = mapped_column(String(20))
    # Digests of the contact details, to know one person across their invitations
    # (portal.domain.contacts); set with the details by portal.data.invitations.
    contact_email_key: Mapped[str | None] = mapped_column(String(64), index=True)
    contact_phone_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # The day their views are due, from the authority's settings (portal.domain.deadlines).
    due_on: Mapped[date] = mapped_column(Date)
    # When the invitation first left: sent by email or text, or its letter made to print.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    review: Mapped[Review] = relationship(back_populates="invitations")
    local_authority: Mapped[LocalAuthority] = relationship()
    consultation: Mapped[Consultation | None] = relationship(
        back_populates="invitation", foreign_keys="Consultation.invitation_id"
    )
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="invitation", order_by="Delivery.created_at"
    )

    __table_args__ = (
        # What children said (portal.data.figures): a review's children's invitations
        # without reading every invitation's row. Role is a column as well as the
        # condition so that SQLite reads the index alone.
        Index(
            "ix_invitation_children",
            "review_id",
            "local_authority_id",
            "role",
            sqlite_where=text("role = 'child'"),
            postgresql_where=text("role = 'child'"),
        ),
    )


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # waiting for the worker (portal.notifications.queue)
    SENDING = "sending"  # a worker has it now
    SENT = "sent"
    FAILED = "failed"
    PRINTED = "printed"  # a letter made ready to print; someone must post or hand it over


class Delivery(Model):
    """One message sent (or tried): an invitation, a reminder or a safety alert."""

    __tablename__ = "delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"), index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # invitation, reminder, safety_alert
    channel: Mapped[str] = mapped_column(String(20))  # letter, email, sms
    status: Mapped[str] = mapped_column(String(20))
    error: Mapped[str] = mapped_column(String(500), default="")
    provider_reference: Mapped[str] = mapped_column(String(100), default="")
    # Set for messages that must never go twice (reminders): a second insert fails.
    once_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation | None] = relationship(back_populates="deliveries")
    staff_user: Mapped[StaffUser | None] = relationship()


class SignInSession(Model):
    """A server-side session, so signing out or leaving the site really ends it."""

    __tablename__ = "sign_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"), index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation | None] = relationship()
    staff_user: Mapped[StaffUser | None] = relationship()


class ContactSignInLink(Model):
    """A one-time sign-in link sent to an email address or mobile number that staff
    entered on someone's invitations (portal.domain.contacts). Only its digest is kept."""

    __tablename__ = "contact_sign_in_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    contact_key: Mapped[str] = mapped_column(String(64))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
