from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from portal.data.invitations import is_usable
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
# Parked answers come from posts anyone can make: each record is kept this small.
MAX_PARKED_BYTES = 200_000


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


def step_answers(consultation: Consultation, step: Step) -> dict[str, str]:
    """What is stored for one page, question by question (unanswered ones left out)."""
    saved = answers_by_question(consultation)
    return {q.key: saved[q.key].value for q in step.questions if q.key in saved}


def save_step(
    consultation: Consultation,
    form: Questionnaire,
    step: Step,
    values: Mapping[str, str | None],
    language: str,
    next_step: str,
) -> list[SafetyConcern]:
    """Save one page's answers as a draft; return any safety concern it raised.

    The same page can be saved several times at once (a double tap, two tabs, a
    retry), so answers are written with one upsert and emptied ones with one delete:
    whichever save comes last wins, and none fails because another got there first.
    """
    role = consultation.invitation.role
    # Saves of one consultation take turns (a row lock on PostgreSQL; SQLite has one
    # writer at a time anyway): each sees the answers the one before left, so an unsafe
    # answer saved twice at once raises one concern, and a save that empties answers
    # cannot deadlock with one that fills them.
    db.session.execute(
        select(Consultation.id).where(Consultation.id == consultation.id).with_for_update()
    )
    existing = {
        a.question_key: a.value
        for a in db.session.scalars(
            _ANSWERS.execution_options(populate_existing=True),
            {"consultation_id": consultation.id},
        )
    }
    now = utcnow()
    raised: list[SafetyConcern] = []
    emptied: list[str] = []
    given: list[dict[str, object]] = []
    for question in step.questions:
        value = values.get(question.key)
        old = existing.get(question.key)
        if raises_concern(role, question, old, value or None):
            concern = SafetyConcern(
                consultation_id=consultation.id, question_key=question.key, raised_at=now
            )
            db.session.add(concern)
            raised.append(concern)
        if not value:
            emptied.append(question.key)
        else:
            given.append(
                {
                    "consultation_id": consultation.id,
                    "question_key": question.key,
                    "value": value,
                    "language": language,
                    "form_key": form.key,
                    "form_version": form.version,
                    "saved_at": now,
                }
            )
    if emptied:
        db.session.execute(
            delete(Answer).where(
                Answer.consultation_id == consultation.id, Answer.question_key.in_(emptied)
            )
        )
    if given:
        db.session.execute(_upsert_answers(given))
    consultation.current_step = next_step
    consultation.updated_at = now
    return raised


def _upsert_answers(rows: list[dict[str, object]]) -> postgresql.Insert | sqlite.Insert:
    """Insert these answers, or update the ones already there (same consultation and
    question) whose value has changed; an unchanged answer keeps when it was saved.

    Every row names the consultation being saved, and the conflict is on
    (consultation_id, question_key), so no other consultation's answer can be touched.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        pg = postgresql.insert(Answer).values(rows)
        return pg.on_conflict_do_update(**_on_conflict(pg.excluded))
    if dialect == "sqlite":
        lite = sqlite.insert(Answer).values(rows)
        return lite.on_conflict_do_update(**_on_conflict(lite.excluded))
    raise NotImplementedError(f"No upsert for {dialect}")  # pragma: no cover


def _on_conflict(excluded: Any) -> dict[str, Any]:
    return {
        "index_elements": [Answer.consultation_id, Answer.question_key],
        "set_": {
            "value": excluded.value,
            "language": excluded.language,
            "form_key": excluded.form_key,
            "form_version": excluded.form_version,
            "saved_at": excluded.saved_at,
        },
        "where": Answer.value != excluded.value,
    }


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


def open_for_parking(consultation_id: int) -> Consultation | None:
    """The consultation with this id, if answers posted to it may be parked: it exists,
    is not yet sent, and its invitation can still be used to sign in and see them."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.status != ConsultationStatus.STARTED:
        return None
    invitation = consultation.invitation
    if invitation.locked_at is not None or not is_usable(invitation):
        return None
    return consultation


def new_parked_key() -> str:
    """What the session keeps to find parked answers again (only its digest is stored)."""
    return secrets.token_urlsafe(24)


def park_answers(consultation_id: int, step_key: str, posted: Mapping[str, str]) -> str:
    """Keep a page's answers, at most MAX_PARKED_BYTES of them; return the key to them."""
    key = new_parked_key()
    db.session.add(
        ParkedAnswers(
            key_digest=token_digest(key),
            consultation_id=consultation_id,
            step_key=step_key,
            payload=_capped_payload(posted),
        )
    )
    return key


def _encoded(answers: Mapping[str, str]) -> bytes:
    return json.dumps(dict(answers), ensure_ascii=False).encode("utf-8")


def _capped_payload(posted: Mapping[str, str]) -> str:
    """The answers as JSON of at most MAX_PARKED_BYTES: what does not fit is cut off."""
    kept: dict[str, str] = {}
    for question_key, value in posted.items():
        kept[question_key] = value
        if len(_encoded(kept)) <= MAX_PARKED_BYTES:
            continue
        # The longest start of this answer that still fits (a binary search).
        fits, too_long = -1, len(value)
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            kept[question_key] = value[:middle]
            if len(_encoded(kept)) <= MAX_PARKED_BYTES:
                fits = middle
            else:
                too_long = middle
        if fits < 0:
            del kept[question_key]
        else:
            kept[question_key] = value[:fits]
        break
    return _encoded(kept).decode("utf-8")


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
    # One statement, not load-then-delete: two saves at once may both discard them.
    db.session.execute(
        delete(ParkedAnswers)
        .where(ParkedAnswers.key_digest == token_digest(key))
        .execution_options(synchronize_session=False)
    )


def delete_expired_parked_answers(now: datetime) -> int:
    """Delete parked answers nobody came back for within PARKED_ANSWERS_KEPT_FOR."""
    result = db.session.execute(
        delete(ParkedAnswers)
        .where(ParkedAnswers.created_at <= now - PARKED_ANSWERS_KEPT_FOR)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
