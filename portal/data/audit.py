"""The audit trail: appended to, never changed through the portal."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditAction, AuditEvent, StaffUser


def record(
    staff: StaffUser,
    action: AuditAction,
    *,
    subject_type: str | None = None,
    subject_id: int | None = None,
    from_address: str | None = None,
    detail: str = "",
) -> AuditEvent:
    return _add(
        staff.local_authority_id, staff.id, action, subject_type, subject_id, from_address, detail
    )


def record_by_operator(
    local_authority_id: int, action: AuditAction, *, subject_type: str, subject_id: int
) -> AuditEvent:
    """Something done with a command on the server, by whoever runs the service."""
    return _add(
        local_authority_id,
        None,
        action,
        subject_type,
        subject_id,
        "command line",
        "flask --app portal command",
    )


def _add(
    local_authority_id: int,
    staff_user_id: int | None,
    action: AuditAction,
    subject_type: str | None,
    subject_id: int | None,
    from_address: str | None,
    detail: str,
) -> AuditEvent:
    event = AuditEvent(
        local_authority_id=local_authority_id,
        staff_user_id=staff_user_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        from_address=(from_address or "")[:64],
        detail=detail[:300],
    )
    db.session.add(event)
    return event


def events_for(
    staff: StaffUser, *, subject_type: str | None = None, subject_id: int | None = None
) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.local_authority_id == staff.local_authority_id)
    if subject_type is not None:
        query = query.where(AuditEvent.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    return list(db.session.scalars(query.order_by(AuditEvent.at, AuditEvent.id)))
