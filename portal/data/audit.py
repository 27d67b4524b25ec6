"""The audit trail: written here, read here, never changed through the portal."""

from __future__ import annotations

from datetime import tzinfo

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from portal.domain.audit_search import PAGE_SIZE, AuditSearch, period_bounds
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


def record_by_invited_person(
    invitation_id: int,
    local_authority_id: int,
    action: AuditAction,
    *,
    subject_type: str,
    subject_id: int,
    from_address: str | None,
) -> AuditEvent:
    """Something a child, parent, carer or professional did (or tried): no member of staff,
    and the detail names the invitation they were signed in with."""
    return _add(
        local_authority_id,
        None,
        action,
        subject_type,
        subject_id,
        from_address,
        f"signed in with invitation {invitation_id}",
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


# Reading: searching a page at a time, and all of it for export.


def _matching(staff: StaffUser, search: AuditSearch, zone: tzinfo) -> Select[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.local_authority_id == staff.local_authority_id)
    if search.staff_user_id is not None:
        query = query.where(AuditEvent.staff_user_id == search.staff_user_id)
    if search.action is not None:
        query = query.where(AuditEvent.action == search.action)
    if search.subject_type is not None:
        query = query.where(AuditEvent.subject_type == search.subject_type)
    if search.subject_id is not None:
        query = query.where(AuditEvent.subject_id == search.subject_id)
    start, end = period_bounds(search.from_day, search.to_day, zone)
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    return query.options(joinedload(AuditEvent.staff_user)).order_by(
        AuditEvent.at.desc(), AuditEvent.id.desc()
    )


def events_page(
    staff: StaffUser, search: AuditSearch, zone: tzinfo, page: int, size: int = PAGE_SIZE
) -> tuple[list[AuditEvent], bool]:
    """One page of matching events, newest first, and whether there is a page after it."""
    found = list(
        db.session.scalars(_matching(staff, search, zone).offset((page - 1) * size).limit(size + 1))
    )
    return found[:size], len(found) > size


def all_events(staff: StaffUser, search: AuditSearch, zone: tzinfo) -> list[AuditEvent]:
    return list(db.session.scalars(_matching(staff, search, zone)))


def staff_in_authority(staff: StaffUser) -> list[StaffUser]:
    """Everyone whose actions may be in the trail, disabled accounts included."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(StaffUser.local_authority_id == staff.local_authority_id)
            .order_by(StaffUser.display_name, StaffUser.id)
        )
    )
