"""Feedback after a review: who still has some to give, and keeping it once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from portal.data.invitations import is_usable
from portal.domain import feedback as rules
from portal.extensions import db
from portal.models import Invitation, Review, ReviewFeedback, ReviewStatus


@dataclass(frozen=True)
class Answers:
    how_was_it: str | None
    yes_no: dict[str, str | None]
    make_it_better: str
    anonymous: bool


def is_pending(invitation: Invitation) -> bool:
    """Whether this person is asked about their review and has not answered yet."""
    review = invitation.review
    if not rules.is_asked(
        invitation.role,
        review_held=review.status == ReviewStatus.HELD,
        revoked=invitation.revoked_at is not None,
    ):
        return False
    return not db.session.scalar(
        select(exists().where(ReviewFeedback.invitation_id == invitation.id))
    )


def already_sent(invitation: Invitation) -> bool:
    return bool(
        db.session.scalar(select(exists().where(ReviewFeedback.invitation_id == invitation.id)))
    )


def save(invitation: Invitation, answers: Answers, *, language: str) -> bool:
    """Keep the feedback; False if this invitation's feedback was already kept (a second
    press, a second tab): the first stays, the second changes nothing."""
    try:
        with db.session.begin_nested():
            db.session.add(
                ReviewFeedback(
                    local_authority_id=invitation.local_authority_id,
                    invitation_id=invitation.id,
                    review_id=invitation.review_id,
                    role=invitation.role,
                    how_was_it=answers.how_was_it,
                    make_it_better=answers.make_it_better,
                    anonymous=answers.anonymous,
                    language=language,
                    **{q: answers.yes_no.get(q) for q in rules.QUESTIONS},
                )
            )
            db.session.flush()
    except IntegrityError:
        return False
    return True


def to_ask(review: Review) -> list[Invitation]:
    """The invited child, parents and carers of a review held, who can still sign in."""
    found = db.session.scalars(
        select(Invitation).where(
            Invitation.review_id == review.id,
            Invitation.local_authority_id == review.local_authority_id,
            Invitation.role.in_(sorted(rules.ASKED_ROLES)),
        )
    ).all()
    return [i for i in found if is_usable(i) and is_pending(i)]


def for_review(review: Review) -> list[ReviewFeedback]:
    return list(
        db.session.scalars(
            select(ReviewFeedback)
            .where(
                ReviewFeedback.review_id == review.id,
                ReviewFeedback.local_authority_id == review.local_authority_id,
            )
            .order_by(ReviewFeedback.sent_at)
        )
    )
