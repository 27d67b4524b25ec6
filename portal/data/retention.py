"""Deleting what is past its authority's retention period, and changing those periods.

Every statement is a set-based DELETE scoped by ``local_authority_id`` written out: the
command runs outside a request, where the tenancy hook (portal.web.tenancy) adds nothing.
No row is loaded into Python.

What goes with a consultation: the consultation is kept for its review, so once the
review's day is ``keep_consultations_months`` past, everything made to hear that person
for that review goes together: the invitation (their name and how to reach them), its
consultation, answers, safety concerns and parked answers, the sign-in sessions it
opened, and the messages (deliveries) about it. Nothing else points at an invitation.
The child and the review stay: they are the case record's, not the consultation's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Delete, and_, delete, or_, select

from portal.domain.authority_settings import changed_fields
from portal.domain.retention import cut_offs
from portal.extensions import db
from portal.models import (
    Answer,
    AnswerAudienceChange,
    AuditEvent,
    Consultation,
    ContactSignInLink,
    Delivery,
    DocumentReading,
    DocumentResponse,
    DocumentTie,
    Invitation,
    LocalAuthority,
    ParkedAnswers,
    Review,
    ReviewFeedback,
    SafetyConcern,
    SignInSession,
    StaffUser,
)

# The settings page's names for the periods, which are LocalAuthority's columns.
RETENTION_FIELDS = (
    "keep_consultations_months",
    "keep_parked_answers_hours",
    "keep_sessions_days",
    "keep_deliveries_months",
    "keep_audit_months",
)


def change_retention_periods(authority: LocalAuthority, values: Mapping[str, int]) -> list[str]:
    """Apply the periods given; return the names of those that changed."""
    before = {name: getattr(authority, name) for name in RETENTION_FIELDS}
    new = {name: values[name] for name in RETENTION_FIELDS if name in values}
    changed = changed_fields(before, new)
    for name in changed:
        setattr(authority, name, new[name])
    return changed


@dataclass(frozen=True)
class Deleted:
    """How many of each kind of record went, in the order they are reported."""

    invitations: int = 0
    consultations: int = 0
    answers: int = 0
    safety_concerns: int = 0
    parked_answers: int = 0
    sign_in_sessions: int = 0
    deliveries: int = 0
    audit_events: int = 0

    def summary(self) -> str:
        """``invitations=3 consultations=2 …``: counts only, never what was deleted."""
        return " ".join(f"{field.name}={getattr(self, field.name)}" for field in fields(self))


def all_authorities() -> list[tuple[int, str]]:
    """Every authority's id and slug, in id order."""
    rows = db.session.execute(
        select(LocalAuthority.id, LocalAuthority.slug).order_by(LocalAuthority.id)
    )
    return [(row.id, row.slug) for row in rows]


def _run(statement: Delete) -> int:
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def delete_expired(authority: LocalAuthority, now: datetime) -> Deleted:
    """Delete this authority's records past its periods at ``now``; the caller commits."""
    la = authority.id
    cut = cut_offs(authority.retention_periods, now)

    expired_invitations = (
        select(Invitation.id)
        .join(Review, Review.id == Invitation.review_id)
        .where(
            Invitation.local_authority_id == la,
            Review.local_authority_id == la,
            Review.planned_on < cut.reviews_before,
        )
    )
    expired_consultations = select(Consultation.id).where(
        Consultation.local_authority_id == la,
        Consultation.invitation_id.in_(expired_invitations),
    )
    authority_consultations = select(Consultation.id).where(Consultation.local_authority_id == la)
    authority_invitations = select(Invitation.id).where(Invitation.local_authority_id == la)
    authority_staff = select(StaffUser.id).where(StaffUser.local_authority_id == la)

    # Children first, then what they point at: the foreign keys allow no other order.
    # (PostgreSQL would delete an answer's audience changes with it; SQLite needs telling.)
    _run(
        delete(AnswerAudienceChange).where(
            AnswerAudienceChange.local_authority_id == la,
            AnswerAudienceChange.answer_id.in_(
                select(Answer.id).where(Answer.consultation_id.in_(expired_consultations))
            ),
        )
    )
    # What refers to the answers and invitations going: ties to a letter, and who read
    # or answered a document with the invitation, and their feedback on the review.
    expired_answers = select(Answer.id).where(Answer.consultation_id.in_(expired_consultations))
    _run(
        delete(DocumentTie).where(
            DocumentTie.local_authority_id == la, DocumentTie.answer_id.in_(expired_answers)
        )
    )
    for made_with_invitation in (DocumentReading, DocumentResponse, ReviewFeedback):
        _run(
            delete(made_with_invitation).where(
                made_with_invitation.local_authority_id == la,
                made_with_invitation.invitation_id.in_(expired_invitations),
            )
        )
    answers = _run(delete(Answer).where(Answer.consultation_id.in_(expired_consultations)))
    safety_concerns = _run(
        delete(SafetyConcern).where(SafetyConcern.consultation_id.in_(expired_consultations))
    )
    # Parked answers name their consultation by number only; that is how they are scoped.
    parked_answers = _run(
        delete(ParkedAnswers).where(
            ParkedAnswers.consultation_id.in_(authority_consultations),
            or_(
                ParkedAnswers.created_at < cut.parked_answers_before,
                ParkedAnswers.consultation_id.in_(expired_consultations),
            ),
        )
    )
    consultations = _run(delete(Consultation).where(Consultation.id.in_(expired_consultations)))
    # A session is over once it is ended, or has not been used for longer than any idle
    # limit: either way, it is counted from the last moment it was in use.
    over_before_cut_off = or_(
        SignInSession.ended_at < cut.sessions_before,
        and_(
            SignInSession.ended_at.is_(None),
            SignInSession.last_seen_at < cut.sessions_before,
        ),
    )
    sign_in_sessions = _run(
        delete(SignInSession).where(
            or_(
                SignInSession.invitation_id.in_(expired_invitations),
                and_(
                    or_(
                        SignInSession.invitation_id.in_(authority_invitations),
                        SignInSession.staff_user_id.in_(authority_staff),
                    ),
                    over_before_cut_off,
                ),
            )
        )
    )
    # A sign-in link is spent or out of time within the hour; counted with the sessions,
    # the other record of getting in.
    sign_in_sessions += _run(
        delete(ContactSignInLink).where(
            ContactSignInLink.local_authority_id == la,
            ContactSignInLink.expires_at < cut.sessions_before,
        )
    )
    deliveries = _run(
        delete(Delivery).where(
            Delivery.local_authority_id == la,
            or_(
                Delivery.created_at < cut.deliveries_before,
                Delivery.invitation_id.in_(expired_invitations),
            ),
        )
    )
    invitations = _run(delete(Invitation).where(Invitation.id.in_(expired_invitations)))
    audit_events = _run(
        delete(AuditEvent).where(
            AuditEvent.local_authority_id == la, AuditEvent.at < cut.audit_events_before
        )
    )
    return Deleted(
        invitations=invitations,
        consultations=consultations,
        answers=answers,
        safety_concerns=safety_concerns,
        parked_answers=parked_answers,
        sign_in_sessions=sign_in_sessions,
        deliveries=deliveries,
        audit_events=audit_events,
    )
