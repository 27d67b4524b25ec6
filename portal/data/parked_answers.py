"""Answers kept for a while when a page was posted but could not be saved (the session
had ended, or the form's CSRF token was stale), so that nothing typed is lost: the
session keeps a random key to them and only its digest is stored."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from portal.data.invitations import is_usable
from portal.domain.credentials import token_digest
from portal.extensions import db
from portal.models import Consultation, ConsultationStatus, ParkedAnswers, utcnow

PARKED_ANSWERS_KEPT_FOR = timedelta(hours=24)
# Parked answers come from posts anyone can make: each record is kept this small.
MAX_PARKED_BYTES = 200_000


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
