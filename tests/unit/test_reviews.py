from datetime import UTC, date, datetime, timedelta

import pytest

from portal.domain import reviews
from portal.domain.deadlines import consultation_due_on
from portal.domain.invitation_states import InvitationState, invitation_state
from portal.domain.reviews import ReviewDates, Status
from portal.domain.timescales import ReviewKind, WorkingCalendar

CALENDAR = WorkingCalendar()


def test_each_review_is_due_from_the_reviews_held_before_it() -> None:
    came = date(2026, 12, 1)
    held_initial = ReviewDates(1, date(2026, 12, 22), Status.HELD)
    cancelled = ReviewDates(2, date(2027, 2, 1), Status.CANCELLED)  # does not restart the clock
    second = ReviewDates(3, date(2027, 3, 20), Status.HELD)
    third = ReviewDates(4, date(2027, 9, 1), Status.PLANNED)
    deadlines = reviews.statutory_deadlines(
        came, [third, second, cancelled, held_initial], CALENDAR
    )
    # 20 working days from 1 December 2026 skip Christmas Day and Boxing Day (observed 28th).
    assert deadlines[1].kind == ReviewKind.INITIAL and deadlines[1].due_by == date(2026, 12, 31)
    assert deadlines[2].due_by == deadlines[3].due_by == date(2027, 3, 22)
    assert deadlines[4].kind == ReviewKind.SUBSEQUENT
    assert deadlines[4].due_by == date(2027, 9, 20)
    assert reviews.next_deadline(came, [held_initial, second], CALENDAR).due_by == date(2027, 9, 20)


@pytest.mark.parametrize(
    ("current", "allowed"),
    [
        (Status.PLANNED, {"held", "rearranged", "stood_down", "adjourned", "cancelled"}),
        (Status.ADJOURNED, {"held", "rearranged", "stood_down", "cancelled"}),
        (Status.HELD, set()),
        (Status.CANCELLED, set()),
    ],
)
def test_status_moves(current: Status, allowed: set[str]) -> None:
    assert {s.value for s in reviews.allowed_moves(current)} == allowed


def test_every_move_but_held_needs_a_reason_and_rearranging_needs_a_date() -> None:
    assert not reviews.needs_reason(Status.HELD)
    assert all(reviews.needs_reason(s) for s in Status if s != Status.HELD)
    assert reviews.needs_new_date(Status.REARRANGED) and not reviews.needs_new_date(Status.HELD)


NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


def _state(**changes: object) -> InvitationState:
    base: dict[str, object] = {
        "due_on": date(2027, 3, 9),  # a child's, for a review on 10 March
        "now": NOW,
        "opened_at": None,
        "started": False,
        "submitted_at": None,
        "locked_at": None,
        "revoked_at": None,
        "expires_at": NOW + timedelta(days=30),
    }
    return invitation_state(**{**base, **changes})  # type: ignore[arg-type]


def test_invitation_states_in_the_order_people_move_through_them() -> None:
    assert _state() == InvitationState.INVITED
    assert _state(opened_at=NOW) == InvitationState.OPENED
    assert _state(opened_at=NOW, started=True) == InvitationState.STARTED
    assert _state(started=True, submitted_at=NOW) == InvitationState.SUBMITTED
    assert _state(locked_at=NOW) == InvitationState.LOCKED
    assert _state(revoked_at=NOW) == InvitationState.REVOKED
    assert _state(expires_at=NOW) == InvitationState.EXPIRED
    # What was sent stays visible even if the invitation was withdrawn later.
    assert _state(submitted_at=NOW, revoked_at=NOW) == InvitationState.SUBMITTED


def test_late_is_after_the_day_views_were_due_carers_five_days_before() -> None:
    on_the_day_before = datetime(2027, 3, 9, 21, tzinfo=UTC)
    assert _state(submitted_at=on_the_day_before) == InvitationState.SUBMITTED
    assert _state(submitted_at=datetime(2027, 3, 10, 9, tzinfo=UTC)) == (
        InvitationState.SUBMITTED_LATE
    )
    carers_day = consultation_due_on("carer", date(2027, 3, 10))
    assert carers_day == date(2027, 3, 5)
    assert _state(due_on=carers_day, submitted_at=datetime(2027, 3, 5, 9, tzinfo=UTC)) == (
        InvitationState.SUBMITTED
    )
    assert _state(due_on=carers_day, submitted_at=datetime(2027, 3, 6, 9, tzinfo=UTC)) == (
        InvitationState.SUBMITTED_LATE
    )


def test_on_time_as_recorded_when_sent_wins_over_a_review_moved_since() -> None:
    sent = datetime(2027, 3, 8, 9, tzinfo=UTC)
    # The review was brought forward after they sent: the due day is now before it.
    moved = {"due_on": date(2027, 3, 1), "submitted_at": sent}
    assert _state(**moved) == InvitationState.SUBMITTED_LATE
    assert _state(**moved, submitted_on_time=True) == InvitationState.SUBMITTED
