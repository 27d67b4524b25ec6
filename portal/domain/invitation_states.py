"""Where each invitation has got to, as the IRO's inbox shows it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from portal.domain.deadlines import on_time


class InvitationState(StrEnum):
    INVITED = "invited"
    OPENED = "opened"
    STARTED = "started"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"
    LOCKED = "locked"
    REVOKED = "revoked"
    EXPIRED = "expired"


def invitation_state(
    *,
    due_on: date,
    now: datetime,
    opened_at: datetime | None,
    started: bool,
    submitted_at: datetime | None,
    locked_at: datetime | None,
    revoked_at: datetime | None,
    expires_at: datetime,
    submitted_on_time: bool | None = None,
) -> InvitationState:
    # What was sent stays visible whatever happened to the invitation afterwards.
    if submitted_at is not None:
        # As it stood when sent: a review moved afterwards does not make it late.
        in_time = on_time(due_on, submitted_at) if submitted_on_time is None else submitted_on_time
        if not in_time:
            return InvitationState.SUBMITTED_LATE
        return InvitationState.SUBMITTED
    if revoked_at is not None:
        return InvitationState.REVOKED
    if locked_at is not None:
        return InvitationState.LOCKED
    if expires_at <= now:
        return InvitationState.EXPIRED
    if started:
        return InvitationState.STARTED
    if opened_at is not None:
        return InvitationState.OPENED
    return InvitationState.INVITED
