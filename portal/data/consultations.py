from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from portal.domain.credentials import token_digest
from portal.domain.safety import raises_concern
from portal.extensions import db
from portal.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Invitation,
    ParkedAnswers,
    SafetyConcern,
    utcnow,
)
from portal.questionnaires import router
from portal.questionnaires.declarations import Questionnaire, Step

PARKED_ANSWERS_KEPT_FOR = timedelta(hours=24)


def consultation_for_invitation(invitation: Invitation) -> Consultation | None:
    return db.session.scalar(
        select(Consultation).where(Consultation.invitation_id == invitation.id)
    )


def start_or_resume(invitation: Invitation, form: Questionnaire) -> Consultation:
    existing = consultation_for_invitation(invitation)
    if existing is not None:
        return existing
    consultation = Consultation(
        local_authority_id=invitation.local_authority_id,
        invitation_id=invitation.id,
        form_key=form.key,
        form_version=form.version,
        current_step=router.first_step(form),
    )
    db.session.add(consultation)
    try:
        db.session.flush()
    except IntegrityError:
        # Two tabs (or a double tap) started it at once: the other one won.
        db.session.rollback()
        found = consultation_for_invitation(invitation)
        assert found is not None
        return found
    return consultation


# Built once, as they run on every consultation page (see sign_in_sessions).
_OWN_CONSULTATION = select(Consultation).where(
    Consultation.id == bindparam("consultation_id"),
    Consultation.invitation_id == bindparam("invitation_id"),
    Consultation.local_authority_id == bindparam("local_authority_id"),
)
_ANSWERS = select(Answer).where(Answer.consultation_id == bindparam("consultation_id"))


def own_consultation(invitation: Invitation, consultation_id: int) -> Consultation | None:
    """The consultation with this id, only if it belongs to this invitation."""
    return db.session.scalar(
        _OWN_CONSULTATION,
        {
            "consultation_id": consultation_id,
            "invitation_id": invitation.id,
            "local_authority_id": invitation.local_authority_id,
        },
    )


def answers_by_question(consultation: Consultation) -> dict[str, Answer]:
    rows = db.session.scalars(_ANSWERS, {"consultation_id": consultation.id})
    return {a.question_key: a for a in rows}


def save_step(
    consultation: Consultation,
    form: Questionnaire,
    step: Step,
    values: Mapping[str, str | None],
    language: str,
    next_step: str,
) -> list[SafetyConcern]:
    """Save one page's answers as a draft; return any safety concern it raised."""
    role = consultation.invitation.role
    existing = answers_by_question(consultation)
    now = utcnow()
    raised: list[SafetyConcern] = []
    for question in step.questions:
        value = values.get(question.key)
        old = existing.get(question.key)
        if raises_concern(role, question, old.value if old else None, value or None):
            concern = SafetyConcern(
                consultation_id=consultation.id, question_key=question.key, raised_at=now
            )
            db.session.add(concern)
            raised.append(concern)
        if not value:
            if old is not None:
                db.session.delete(old)
            continue
        if old is None:
            db.session.add(
                Answer(
                    consultation_id=consultation.id,
                    question_key=question.key,
                    value=value,
                    language=language,
                    form_key=form.key,
                    form_version=form.version,
                    saved_at=now,
                )
            )
        elif old.value != value:
            old.value = value
            old.language = language
            old.form_key = form.key
            old.form_version = form.version
            old.saved_at = now
    consultation.current_step = next_step
    consultation.updated_at = now
    return raised


def switch_form(consultation: Consultation, form: Questionnaire) -> None:
    consultation.form_key = form.key
    consultation.form_version = form.version
    consultation.current_step = router.first_step(form)
    consultation.updated_at = utcnow()


def submit(consultation: Consultation) -> bool:
    """Mark as submitted once; a second press changes nothing and returns False."""
    result = db.session.execute(
        update(Consultation)
        .where(
            Consultation.id == consultation.id,
            Consultation.status == ConsultationStatus.STARTED,
        )
        .values(
            status=ConsultationStatus.SUBMITTED,
            submitted_at=utcnow(),
            current_step=router.CHECK_ANSWERS,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(consultation)
    return bool(getattr(result, "rowcount", 0))


def park_answers(consultation_id: int, step_key: str, posted: Mapping[str, str]) -> str:
    key = secrets.token_urlsafe(24)
    db.session.add(
        ParkedAnswers(
            key_digest=token_digest(key),
            consultation_id=consultation_id,
            step_key=step_key,
            payload=json.dumps(dict(posted)),
        )
    )
    return key


def _parked(key: str) -> ParkedAnswers | None:
    return db.session.scalar(
        select(ParkedAnswers).where(ParkedAnswers.key_digest == token_digest(key))
    )


def peek_parked_answers(key: str, consultation: Consultation) -> tuple[str, dict[str, str]] | None:
    """Parked answers for this consultation: only if they are its own and still fresh."""
    parked = _parked(key)
    if parked is None or parked.consultation_id != consultation.id:
        return None
    if utcnow() - parked.created_at >= PARKED_ANSWERS_KEPT_FOR:
        return None
    return parked.step_key, json.loads(parked.payload)


def discard_parked_answers(key: str) -> None:
    parked = _parked(key)
    if parked is not None:
        db.session.delete(parked)


def forget_stale_parked_answers() -> None:
    db.session.execute(
        delete(ParkedAnswers).where(ParkedAnswers.created_at < utcnow() - PARKED_ANSWERS_KEPT_FOR)
    )
