"""The records the portal keeps. The schema is only ever created by migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

if TYPE_CHECKING:  # db.Model is built at run time; to a type checker it is our Base.
    from portal.extensions import Base as Model
else:
    Model = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use portal.models.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class LocalAuthority(Model):
    __tablename__ = "local_authority"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    service_name: Mapped[str] = mapped_column(String(200))
    iro_team_phone: Mapped[str] = mapped_column(String(40))
    iro_team_email: Mapped[str] = mapped_column(String(200))
    advocacy_service_name: Mapped[str] = mapped_column(String(200))
    advocacy_phone: Mapped[str] = mapped_column(String(40))


class StaffRole(StrEnum):
    IRO = "iro"
    MANAGER = "manager"
    ADMINISTRATOR = "administrator"


class StaffUser(Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20), default=StaffRole.IRO)
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    local_authority: Mapped[LocalAuthority] = relationship()


class Child(Model):
    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    preferred_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    came_into_care_on: Mapped[date] = mapped_column(Date)
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_language: Mapped[str] = mapped_column(String(20), default="en_GB")
    iro_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)

    iro: Mapped[StaffUser] = relationship()
    reviews: Mapped[list[Review]] = relationship(back_populates="child", order_by="Review.held_on")


class Review(Model):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date)
    time_and_place: Mapped[str] = mapped_column(String(200), default="")

    child: Mapped[Child] = relationship(back_populates="reviews")
    invitations: Mapped[list[Invitation]] = relationship(back_populates="review")


class InviteeRole(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    CARER = "carer"
    PROFESSIONAL = "professional"


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

    review: Mapped[Review] = relationship(back_populates="invitations")
    local_authority: Mapped[LocalAuthority] = relationship()
    consultation: Mapped[Consultation | None] = relationship(back_populates="invitation")


class ConsultationStatus(StrEnum):
    STARTED = "started"
    SUBMITTED = "submitted"


class Consultation(Model):
    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    # One consultation per invitation: a double-pressed button cannot make two.
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), unique=True)
    form_key: Mapped[str] = mapped_column(String(40))
    form_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=ConsultationStatus.STARTED)
    current_step: Mapped[str | None] = mapped_column(String(60))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation] = relationship(back_populates="consultation")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="consultation", order_by="Answer.id", cascade="all, delete-orphan"
    )
    safety_concerns: Mapped[list[SafetyConcern]] = relationship(
        back_populates="consultation", order_by="SafetyConcern.raised_at"
    )


class Answer(Model):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("consultation_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)
    # The language the page was shown in when the answer was written.
    language: Mapped[str] = mapped_column(String(20))
    # The form and version this answer was given to: old answers keep their questions.
    form_key: Mapped[str] = mapped_column(String(40))
    form_version: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="answers")


class SafetyConcern(Model):
    """Raised the moment a child's saved answer says they may not be safe."""

    __tablename__ = "safety_concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(60))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    action_taken: Mapped[str | None] = mapped_column(Text)

    consultation: Mapped[Consultation] = relationship(back_populates="safety_concerns")
    cleared_by: Mapped[StaffUser | None] = relationship()


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


class ParkedAnswers(Model):
    """Answers posted after a session ended, kept until the child signs in again.

    They are shown back to the child to check, never saved on their behalf:
    only a signed-in child's own Continue turns them into answers.
    """

    __tablename__ = "parked_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    consultation_id: Mapped[int] = mapped_column(Integer)
    step_key: Mapped[str] = mapped_column(String(60))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditAction(StrEnum):
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    VIEWED_CONSULTATION = "viewed_consultation"
    CLEARED_SAFETY_CONCERN = "cleared_safety_concern"
    DENIED = "denied"  # asked for a record they may not see


class AuditEvent(Model):
    """Who did what, when, from where. Written by the portal, never edited by it."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    from_address: Mapped[str] = mapped_column(String(64), default="")
