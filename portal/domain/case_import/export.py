"""Writing children and reviews in the columns the import reads, so an export imports unchanged."""

from __future__ import annotations

from datetime import date, time

from portal.domain.case_import.cell_parsers import DEFAULT_STATUS
from portal.domain.case_import.columns import COLUMNS
from portal.domain.case_import.rows import ChildRow, ReviewRow
from portal.domain.timescales import ReviewKind


def cells(child: ChildRow, review: ReviewRow | None) -> list[str]:
    """One row of an export, in the columns this package reads (so it imports unchanged)."""
    row = [
        child.ref,
        child.preferred_name,
        child.date_of_birth.isoformat(),
        child.came_into_care_on.isoformat(),
        "yes" if child.uasc else "no",
        child.preferred_language,
        child.communication_needs,
        child.iro_email,
    ]
    if review is None:
        return row + [""] * (len(COLUMNS) - len(row))
    return [
        *row,
        review.ref,
        str(review.kind),
        review.planned_on.isoformat(),
        review.planned_time.strftime("%H:%M") if review.planned_time else "",
        review.venue,
        review.status,
    ]


def example_rows() -> list[list[str]]:
    """A fictional child with one review, for the template people fill in."""
    child = ChildRow(
        ref="EXAMPLE-0001",
        preferred_name="Sam Example",
        date_of_birth=date(2012, 4, 9),
        came_into_care_on=date(2025, 11, 3),
        uasc=False,
        preferred_language="en_GB",
        communication_needs="read_aloud",
        iro_email="iro.name@your-authority.example",
    )
    review = ReviewRow(
        ref="EXAMPLE-R-0001",
        child_ref=child.ref,
        kind=ReviewKind.INITIAL,
        planned_on=date(2025, 12, 1),
        planned_time=time(15, 30),
        venue="Family Centre, Room 2",
        status=DEFAULT_STATUS,
    )
    return [cells(child, review)]
