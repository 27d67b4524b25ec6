"""Reading the audit trail: searching it a page at a time, and all of it for export.

Read only: the trail is written by portal.data.audit and never changed.
"""

from __future__ import annotations

from datetime import tzinfo

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from portal.domain.audit_search import PAGE_SIZE, AuditSearch, period_bounds
from portal.extensions import db
from portal.models import AuditEvent, StaffUser


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
