"""The records the portal keeps. The schema is only ever created by migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain import deadlines, retention
from portal.domain.audiences import AUTHORITY_DEFAULT, SAFE_DEFAULT
from portal.domain.languages import DEFAULT_LOCALE, TRANSLATED
from portal.domain.reviews import Status as ReviewStatus
from portal.domain.roles import InviteeRole, StaffRole
from portal.domain.sealing import SecretBox
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


class Sealed(TypeDecorator[str]):
    """Text encrypted before it is written and opened when read (see portal.domain.sealing)."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _secret_box().seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _secret_box().open(value)


def _secret_box() -> SecretBox:
    box: SecretBox = current_app.extensions["secret_box"]
    return box


def _period(bounds: retention.Bounds) -> Mapped[int]:
    # A server default too, so rows made before the column existed get the default.
    return mapped_column(Integer, default=bounds.default, server_default=str(bounds.default))


def _due_days() -> Mapped[int]:
    default = deadlines.OTHERS_DAYS_BEFORE_REVIEW
    return mapped_column(Integer, default=default, server_default=str(default))


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
    # Where a child's request for an advocate is emailed (portal.notifications.advocacy);
    # empty: nobody is emailed, the IRO's caseload still shows it.
    advocacy_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # Who a child's new answer is for until they choose (portal.domain.audiences).
    default_answer_audience: Mapped[str] = mapped_column(
        String(20), default=AUTHORITY_DEFAULT, server_default=AUTHORITY_DEFAULT.value
    )
    complaints_phone: Mapped[str] = mapped_column(String(40), default="")
    complaints_email: Mapped[str] = mapped_column(String(200), default="")
    # Space-separated locale codes the authority offers (English always among them).
    enabled_languages: Mapped[str] = mapped_column(
        String(200), default=" ".join((DEFAULT_LOCALE, *TRANSLATED))
    )
    # How invitations and alerts go out besides the printable letter: see portal.notifications.
    email_sender: Mapped[str] = mapped_column(String(20), default="none")
    sms_sender: Mapped[str] = mapped_column(String(20), default="none")
    # How long records are kept before `flask --app portal delete-expired` deletes them;
    # the defaults and why are in portal.domain.retention.
    keep_consultations_months: Mapped[int] = _period(retention.CONSULTATIONS_MONTHS)
    keep_parked_answers_hours: Mapped[int] = _period(retention.PARKED_ANSWERS_HOURS)
    keep_sessions_days: Mapped[int] = _period(retention.SESSIONS_DAYS)
    keep_deliveries_months: Mapped[int] = _period(retention.DELIVERIES_MONTHS)
    keep_audit_months: Mapped[int] = _period(retention.AUDIT_MONTHS)
    # Days before the review each role's views are due (carers' is fixed: see deadlines).
    child_views_due_days: Mapped[int] = _due_days()
    parent_views_due_days: Mapped[int] = _due_days()
    professional_views_due_days: Mapped[int] = _due_days()

    @property
    def due_days(self) -> deadlines.DueDays:
        return deadlines.DueDays(
            child=self.child_views_due_days,
            parent=self.parent_views_due_days,
            professional=self.professional_views_due_days,
        )

    @property
    def retention_periods(self) -> retention.RetentionPeriods:
        return retention.RetentionPeriods(
            consultations_months=self.keep_consultations_months,
            parked_answers_hours=self.keep_parked_answers_hours,
            sessions_days=self.keep_sessions_days,
            deliveries_months=self.keep_deliveries_months,
            audit_months=self.keep_audit_months,
        )


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
    # Two-factor sign-in: the authenticator app's shared secret (base32), set at enrolment,
    # stored sealed because, unlike a password, the server must read it back. Loaded only
    # when a code is checked, so a key that cannot be opened stops that step and no other.
    totp_secret: Mapped[str | None] = mapped_column(Sealed, deferred=True)
    # The last 30-second step accepted, so a code cannot be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An IRO marked away has their safety alerts sent to managers too, and a cover IRO.
    away: Mapped[bool] = mapped_column(Boolean, default=False)
    covered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    local_authority: Mapped[LocalAuthority] = relationship()
    covered_by: Mapped[StaffUser | None] = relationship(remote_side="StaffUser.id")

    @property
    def two_factor_enrolled(self) -> bool:
        # Set with the secret at enrolment and cleared with it on reset.
        return self.totp_enrolled_at is not None


class RecoveryCode(Model):
    """One-time codes for signing in when the authenticator app is lost. Stored as HMACs."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CommunicationNeed(StrEnum):
    INTERPRETER = "interpreter"
    READ_ALOUD = "read_aloud"
    EASY_READ = "easy_read"
    SYMBOLS = "symbols"


class Child(Model):
    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    preferred_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    came_into_care_on: Mapped[date] = mapped_column(Date)
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_language: Mapped[str] = mapped_column(String(20), default="en_GB")
    # Space-separated CommunicationNeed values.
    communication_needs: Mapped[str] = mapped_column(String(200), default="")
    iro_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # The case management system's id for the child, which makes imports idempotent.
    external_ref: Mapped[str | None] = mapped_column(String(60))

    iro: Mapped[StaffUser] = relationship()
    reviews: Mapped[list[Review]] = relationship(
        back_populates="child", order_by="Review.planned_on"
    )

    __table_args__ = (
        UniqueConstraint("local_authority_id", "external_ref", name="uq_child_external_ref"),
    )

    @property
    def needs(self) -> list[str]:
        return self.communication_needs.split()


class Review(Model):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The day of the meeting: planned, and once held, the day it was held.
    planned_on: Mapped[date] = mapped_column(Date)
    planned_time: Mapped[time | None] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.PLANNED)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    external_ref: Mapped[str | None] = mapped_column(String(60))

    child: Mapped[Child] = relationship(back_populates="reviews")
    invitations: Mapped[list[Invitation]] = relationship(back_populates="review")
    status_changes: Mapped[list[ReviewStatusChange]] = relationship(
        back_populates="review", order_by="ReviewStatusChange.changed_at"
    )

    __table_args__ = (
        UniqueConstraint("local_authority_id", "external_ref", name="uq_review_external_ref"),
    )


class ReviewStatusChange(Model):
    """Each move of a review's status, with the reason given."""

    __tablename__ = "review_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    review: Mapped[Review] = relationship(back_populates="status_changes")
    changed_by: Mapped[StaffUser | None] = relationship()


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
    # Whether it was sent by the invitation's due day, as it stood when it was sent.
    submitted_on_time: Mapped[bool | None] = mapped_column(Boolean)
    # The carer who opened a young child's form with them (portal.domain.helping).
    helped_by_invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), index=True
    )

    invitation: Mapped[Invitation] = relationship(
        back_populates="consultation", foreign_keys=[invitation_id]
    )
    helped_by: Mapped[Invitation | None] = relationship(foreign_keys=[helped_by_invitation_id])
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
    # Who may read it (portal.domain.audiences): the child's choice for their own words.
    audience: Mapped[str] = mapped_column(
        String(20), default=SAFE_DEFAULT, server_default=SAFE_DEFAULT.value
    )

    consultation: Mapped[Consultation] = relationship(back_populates="answers")


class AnswerAudienceChange(Model):
    """Each change a child made to who may read one of their answers."""

    __tablename__ = "answer_audience_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    # Goes with its answer: an answer emptied or deleted takes its changes with it.
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    from_audience: Mapped[str] = mapped_column(String(20))
    to_audience: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
    SIGNED_OUT = "signed_out"
    TWO_FACTOR_FAILED = "two_factor_failed"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled"
    RECOVERY_CODE_USED = "recovery_code_used"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    VIEWED_CASELOAD = "viewed_caseload"
    VIEWED_CHILD = "viewed_child"
    CREATED_CHILD = "created_child"
    CHANGED_CHILD = "changed_child"
    REASSIGNED_CHILD = "reassigned_child"
    VIEWED_REVIEW = "viewed_review"
    CREATED_REVIEW = "created_review"
    CHANGED_REVIEW = "changed_review"
    CHANGED_REVIEW_STATUS = "changed_review_status"
    INVITED = "invited"
    REISSUED_INVITATION = "reissued_invitation"
    REVOKED_INVITATION = "revoked_invitation"
    UNLOCKED_INVITATION = "unlocked_invitation"
    PRINTED_CONSULTATION = "printed_consultation"
    PREVIEWED_IMPORT = "previewed_import"
    IMPORTED = "imported"
    EXPORTED = "exported"
    CREATED_ACCOUNT = "created_account"
    DISABLED_ACCOUNT = "disabled_account"
    ENABLED_ACCOUNT = "enabled_account"
    RESET_TWO_FACTOR = "reset_two_factor"
    CHANGED_AWAY = "changed_away"
    CHANGED_SETTINGS = "changed_settings"
    VIEWED_AUDIT_TRAIL = "viewed_audit_trail"
    EXPORTED_CHILD_RECORD = "exported_child_record"  # everything held about a child (SAR)
    DELETED_EXPIRED = "deleted_expired"  # records past the authority's retention period


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
    # A short, non-sensitive note (a status reason code, a filename): never a child's words.
    detail: Mapped[str] = mapped_column(String(300), default="")

    staff_user: Mapped[StaffUser | None] = relationship()


class ImportBatch(Model):
    """A CSV file from the case management system, kept between preview and import."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    content_digest: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(String(500), default="")
