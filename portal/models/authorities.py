"""Local authorities and their staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain import deadlines, retention
from portal.domain.audiences import AUTHORITY_DEFAULT
from portal.domain.languages import DEFAULT_LOCALE, TRANSLATED
from portal.domain.roles import StaffRole
from portal.models.base import Model, Sealed, UTCDateTime, utcnow


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
    # The child's plan and the IRO's letter (portal.domain.documents): the reading age
    # the assistant aims for, words the authority adds to its glossary (one
    # "term = what to say instead" a line), and the timescales they are measured against.
    reading_age_goal: Mapped[int] = mapped_column(Integer, default=9, server_default="9")
    glossary: Mapped[str] = mapped_column(Text, default="", server_default="")
    letter_due_working_days: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    plan_shared_working_days: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    outcomes_due_working_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # Which participation rate the annual report leads with (portal.domain.participation
    # ParticipationMeasure); the figures page names the definition beside the figure.
    participation_measure: Mapped[str] = mapped_column(
        String(20), default="participated", server_default="participated"
    )

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
