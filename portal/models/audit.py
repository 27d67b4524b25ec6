"""The audit trail and imports from the case management system."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.authorities import StaffUser


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
    VIEWED_DOCUMENT = "viewed_document"  # a child's plan or letter, opened by staff
    SAVED_DOCUMENT = "saved_document"
    PUBLISHED_DOCUMENT = "published_document"
    SAVED_TRANSLATION = "saved_translation"
    RECORDED_REVIEW = "recorded_review"  # what happened at a review held (issue 12)
    CONFIRMED_PARTICIPATION = "confirmed_participation"  # the PN code, detail holds it
    VIEWED_FIGURES = "viewed_figures"  # the participation figures, on screen
    EXPORTED_FIGURES = "exported_figures"  # the figures as CSV or the printable report


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
