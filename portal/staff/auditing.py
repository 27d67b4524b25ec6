"""Recording what the signed-in member of staff does, from where, in the audit trail."""

from __future__ import annotations

from typing import NoReturn

from flask import abort, request

from portal.data import audit
from portal.extensions import db
from portal.models import AuditAction
from portal.web.people import current_staff


def record(
    action: AuditAction,
    subject_type: str | None = None,
    subject_id: int | None = None,
    detail: str = "",
) -> None:
    """Add an event for the signed-in member of staff. The caller commits with its change."""
    audit.record(
        current_staff(),
        action,
        subject_type=subject_type,
        subject_id=subject_id,
        from_address=request.remote_addr,
        detail=detail,
    )


def refuse(subject_type: str, subject_id: int) -> NoReturn:
    """A record outside the person's reach: recorded (someone may be guessing ids), then 404."""
    record(AuditAction.DENIED, subject_type, subject_id)
    db.session.commit()
    abort(404)
