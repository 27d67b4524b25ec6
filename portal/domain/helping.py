"""When a carer may open a young child's form with them.

A child under 8 may need a grown-up to read the questions and write what they say (the
form with pictures asks who is helping, and the grown-up must say so). A carer invited
to give their own views for the same review may open that child's form with them: the
form records that they helped, and stays separate from the carer's own. Nobody else
may: not a parent (the child's answers are never a parent's to read), not a carer
invited for another review or another child, and not for a child of 8 or over, who
answers for themselves.

Plain Python, no Flask.
"""

from __future__ import annotations

from datetime import date

from portal.domain.age_bands import age_on
from portal.domain.roles import InviteeRole

# A child younger than this on the day of their review may be helped by their carer.
HELPED_UNDER = 8


def may_help(
    *,
    helper_role: str,
    helper_review_id: int,
    child_role: str,
    child_review_id: int,
    child_born_on: date,
    review_day: date,
) -> bool:
    """Whether the person invited as ``helper_role`` may open this child's form with them."""
    return (
        helper_role == InviteeRole.CARER
        and child_role == InviteeRole.CHILD
        and helper_review_id == child_review_id
        and age_on(child_born_on, review_day) < HELPED_UNDER
    )
