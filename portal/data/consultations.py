from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, case, delete, inspect, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from portal.data.tenant_scope import of_the_tenant, run_scoped
from portal.domain import audiences, deadlines
from portal.domain.safety import raises_concern
from portal.extensions import db, reused
from portal.models import (
    Answer,
    AnswerAudienceChange,
    Consultation,
    ConsultationStatus,
    Invitation,
    SafetyConcern,
    utcnow,
)
from portal.questionnaires import router
from portal.questionnaires.declarations import AnswerType, Question, Questionnaire, Step


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


# Built once, as they run on every consultation page (see sign_in_sessions), and marked
# reused so that the tenant scope is added to each once per authority, not every time.
_OWN_CONSULTATION = reused(
    select(Consultation).where(
        Consultation.id == bindparam("consultation_id"),
        Consultation.invitation_id == bindparam("invitation_id"),
        Consultation.local_authority_id == bindparam("local_authority_id"),
    )
)
_ANSWERS = reused(select(Answer).where(Answer.consultation_id == bindparam("consultation_id")))
# On the hottest path (every page and every save) the statements run as plain SQL on the
# session's connection: the ORM's work on each cost more than the statement. A page
# needs each answer's words and who may read it, not the whole record. Answers belong to
# their consultation, not directly to an authority: the consultation id they are read
# by is one the caller found in the signed-in person's authority (own_consultation).
_ANSWER_TABLE = cast(Table, Answer.__table__)
_CONSULTATION_TABLE = cast(Table, Consultation.__table__)
_ANSWERED = select(
    _ANSWER_TABLE.c.question_key, _ANSWER_TABLE.c.value, _ANSWER_TABLE.c.audience
).where(_ANSWER_TABLE.c.consultation_id == bindparam("consultation_id"))
# A save takes its turn by moving the consultation on, then reads what it finds there
# (see save_step). The consultation is the authority's own: the move is scoped to it
# (portal.data.tenant_scope), as the ORM would scope it.
_MOVE_ON = (
    update(_CONSULTATION_TABLE)
    .where(
        _CONSULTATION_TABLE.c.id == bindparam("consultation_id"), of_the_tenant(_CONSULTATION_TABLE)
    )
    .values(current_step=bindparam("next_step"), updated_at=bindparam("now"))
)
_SAVED = select(
    _ANSWER_TABLE.c.id,
    _ANSWER_TABLE.c.question_key,
    _ANSWER_TABLE.c.value,
    _ANSWER_TABLE.c.audience,
).where(_ANSWER_TABLE.c.consultation_id == bindparam("consultation_id"))


class Answered(NamedTuple):
    """One stored answer, as a page shows it."""

    value: str
    audience: str


def own_consultation(invitation: Invitation, consultation_id: int) -> Consultation | None:
    """The consultation with this id, only if it belongs to this invitation.

    The signed-in invitation's consultation comes with the page frame, so it is checked
    here, as a query would check it (this invitation's, in its authority), rather than
    read again. Any other invitation's is read.
    """
    if "consultation" in inspect(invitation).dict:
        found = invitation.consultation
        if (
            found is not None
            and found.id == consultation_id
            and found.invitation_id == invitation.id
            and found.local_authority_id == invitation.local_authority_id
        ):
            return found
        return None
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


def answered(consultation_id: int) -> dict[str, Answered]:
    """Each stored answer's words and audience, by question: what a page is drawn with."""
    rows = db.session.connection().execute(_ANSWERED, {"consultation_id": consultation_id})
    return {key: Answered(value, audience) for key, value, audience in rows}


def step_answers(consultation: Consultation, step: Step) -> dict[str, str]:
    """What is stored for one page, question by question (unanswered ones left out)."""
    saved = answers_by_question(consultation)
    return {q.key: saved[q.key].value for q in step.questions if q.key in saved}


def is_always_for_the_iro(question: Question) -> bool:
    """Private questions, and those whose answer can say a child is not safe."""
    return audiences.always_for_the_iro(
        private=question.private, may_raise_concern=bool(question.safety_values)
    )


def asks_who_reads(question: Question) -> bool:
    """A question answered in the child's own words, beside which they choose who reads it."""
    return question.type in (AnswerType.TEXT, AnswerType.SHORT_TEXT) and not (
        is_always_for_the_iro(question)
    )


class Turn(NamedTuple):
    """A save's turn at one consultation: when it was taken, and every answer stored
    then (id, words and audience, by question), as the save before it left them."""

    now: datetime
    stored: dict[str, tuple[int, str, str]]

    @property
    def answered(self) -> dict[str, Answered]:
        """The stored answers as ``answered`` gives them."""
        return {
            key: Answered(value, audience) for key, (_id, value, audience) in self.stored.items()
        }


def take_turn(consultation: Consultation, next_step: str) -> Turn:
    """Wait for any other save of this consultation to end, move it on to ``next_step``,
    and read the answers it has now.

    Saves of one consultation take turns (a row lock on PostgreSQL; SQLite has one
    writer at a time anyway): each sees the answers the one before left, so an unsafe
    answer saved twice at once raises one concern, a save that empties answers cannot
    deadlock with one that fills them, and a page saved elsewhere since it was drawn is
    found (portal.domain.edits) before it is overwritten. The turn is taken by writing
    first where the save leaves the consultation: the update's row lock makes another
    save of it wait until this one commits, as a SELECT ... FOR UPDATE would (on SQLite
    it takes the one writer's lock at once), and saves one statement and the ORM's
    flush. A caller that does not go on to save rolls the move back.
    """
    now = utcnow()
    turn = {"consultation_id": consultation.id}
    run_scoped(_MOVE_ON, {**turn, "next_step": next_step, "now": now})
    # The loaded consultation is told the values it now has, without a write of its own.
    set_committed_value(consultation, "current_step", next_step)
    set_committed_value(consultation, "updated_at", now)
    stored = {
        key: (answer_id, value, audience)
        for answer_id, key, value, audience in db.session.connection().execute(_SAVED, turn)
    }
    return Turn(now, stored)


def save_step(
    consultation: Consultation,
    form: Questionnaire,
    step: Step,
    values: Mapping[str, str | None],
    language: str,
    next_step: str,
    *,
    turn: Turn | None = None,
    chosen_audiences: Mapping[str, str | None] | None = None,
    default_audience: str = audiences.SAFE_DEFAULT,
    audiences_locked: bool = False,
) -> list[SafetyConcern]:
    """Save one page's answers as a draft; return any safety concern it raised.

    The same page can be saved several times at once (a double tap, two tabs, a
    retry), so answers are written with one upsert and emptied ones with one delete:
    whichever save comes last wins, and none fails because another got there first.

    Each answer is stored with who may read it (portal.domain.audiences): what the child
    chose on the page (``chosen_audiences``, by question), else what it had, else the
    authority's ``default_audience``; once the review is held (``audiences_locked``) an
    answer keeps the audience it had. Each change of an answer's audience is recorded.

    The save runs in its turn (``take_turn``): the one given, already taken in this
    transaction for ``next_step``, or one it takes itself.
    """
    role = consultation.invitation.role
    chooses = audiences.chooses_audience(role)
    chosen_audiences = chosen_audiences or {}
    now, existing = turn if turn is not None else take_turn(consultation, next_step)
    raised: list[SafetyConcern] = []
    emptied: list[str] = []
    given: list[dict[str, object]] = []
    moved: list[AnswerAudienceChange] = []
    for question in step.questions:
        value = values.get(question.key)
        old_id, old, old_audience = existing.get(question.key, (None, None, None))
        if raises_concern(role, question, old, value or None):
            concern = SafetyConcern(
                consultation_id=consultation.id, question_key=question.key, raised_at=now
            )
            db.session.add(concern)
            raised.append(concern)
        if not value:
            emptied.append(question.key)
            continue
        audience = audiences.audience_for(
            fixed=is_always_for_the_iro(question),
            chooses=chooses,
            chosen=chosen_audiences.get(question.key),
            previous=old_audience,
            default=default_audience,
            locked=audiences_locked,
        )
        if old_id is not None and old_audience != audience:
            moved.append(
                AnswerAudienceChange(
                    local_authority_id=consultation.local_authority_id,
                    answer_id=old_id,
                    from_audience=old_audience,
                    to_audience=audience,
                    changed_at=now,
                )
            )
        given.append(
            {
                "consultation_id": consultation.id,
                "question_key": question.key,
                "value": value,
                "language": language,
                "form_key": form.key,
                "form_version": form.version,
                "saved_at": now,
                "audience": audience,
            }
        )
    if emptied:
        gone = select(Answer.id).where(
            Answer.consultation_id == consultation.id, Answer.question_key.in_(emptied)
        )
        # An emptied answer takes the record of who could read it with it (PostgreSQL
        # would anyway, by its foreign key; SQLite does not enforce them).
        db.session.execute(
            delete(AnswerAudienceChange).where(AnswerAudienceChange.answer_id.in_(gone))
        )
        db.session.execute(
            delete(Answer).where(
                Answer.consultation_id == consultation.id, Answer.question_key.in_(emptied)
            )
        )
    if given:
        db.session.connection().execute(_upsert_answers(), given)
    db.session.add_all(moved)
    return raised


def _upsert_answers() -> postgresql.Insert | sqlite.Insert:
    """Insert the answers it is run with, or update the ones already there (same
    consultation and question) whose value or audience has changed; an unchanged answer
    keeps when it was saved, and so does one whose audience alone changed.

    Every row names the consultation being saved, and the conflict is on
    (consultation_id, question_key), so no other consultation's answer can be touched.
    The rows come as parameters, not in the statement, so it is built once for each
    database and compiled once, rather than on every save.
    """
    dialect = db.session.get_bind().dialect.name
    found = _UPSERTS.get(dialect)
    if found is not None:
        return found
    if dialect == "postgresql":
        pg = postgresql.insert(_ANSWER_TABLE)
        found = pg.on_conflict_do_update(**_on_conflict(pg.excluded))
    elif dialect == "sqlite":
        lite = sqlite.insert(_ANSWER_TABLE)
        found = lite.on_conflict_do_update(**_on_conflict(lite.excluded))
    else:  # pragma: no cover
        raise NotImplementedError(f"No upsert for {dialect}")
    _UPSERTS[dialect] = found
    return found


_UPSERTS: dict[str, postgresql.Insert | sqlite.Insert] = {}


def _on_conflict(excluded: Any) -> dict[str, Any]:
    # The table's own columns: a Core statement, not an ORM one (no ORM work on a save).
    answer = _ANSWER_TABLE.c
    rewritten = answer.value != excluded.value

    def if_rewritten(column: str) -> Any:
        # When only the audience changes, the answer was not written again.
        return case((rewritten, getattr(excluded, column)), else_=getattr(answer, column))

    return {
        "index_elements": [answer.consultation_id, answer.question_key],
        "set_": {
            "value": excluded.value,
            "language": if_rewritten("language"),
            "form_key": if_rewritten("form_key"),
            "form_version": if_rewritten("form_version"),
            "saved_at": if_rewritten("saved_at"),
            "audience": excluded.audience,
        },
        "where": or_(rewritten, answer.audience != excluded.audience),
    }


def answers_whose_readers_can_change(
    consultation: Consultation, form: Questionnaire, saved: Mapping[str, Answer] | None = None
) -> list[tuple[Question, Answer]]:
    """The child's answers in their own words, in form order, each with its question:
    those beside which they choose who reads them (from ``saved``, the consultation's
    answers by question, when the caller has read them already)."""
    if saved is None:
        saved = answers_by_question(consultation)
    return [
        (question, saved[question.key])
        for step in form.steps
        for question in step.questions
        if question.key in saved and asks_who_reads(question)
    ]


def change_audiences(
    consultation: Consultation, form: Questionnaire, chosen: Mapping[str, str | None]
) -> int:
    """Change who may read the child's answers (by question key), record each change, and
    return how many changed. Only answers in the child's own words whose question lets
    them choose are changed; anything else posted is ignored. The caller has checked the
    review is not held (portal.domain.audiences.may_change) and commits.
    """
    now = utcnow()
    changed = 0
    for question, answer in answers_whose_readers_can_change(consultation, form):
        wanted = audiences.parse(chosen.get(question.key))
        if wanted is None or wanted == answer.audience:
            continue
        # Conditional, so that two presses (or two tabs) record one change, not two.
        result = db.session.execute(
            update(Answer)
            .where(Answer.id == answer.id, Answer.audience == answer.audience)
            .values(audience=wanted)
            .execution_options(synchronize_session=False)
        )
        if not getattr(result, "rowcount", 0):
            continue
        db.session.add(
            AnswerAudienceChange(
                local_authority_id=consultation.local_authority_id,
                answer_id=answer.id,
                from_audience=answer.audience,
                to_audience=wanted,
                changed_at=now,
            )
        )
        db.session.expire(answer, ["audience"])
        changed += 1
    return changed


def audience_changes(consultation: Consultation) -> dict[int, list[AnswerAudienceChange]]:
    """Each change of who may read an answer, by answer id, oldest first."""
    rows = db.session.scalars(
        select(AnswerAudienceChange)
        .join(Answer, Answer.id == AnswerAudienceChange.answer_id)
        .where(
            Answer.consultation_id == consultation.id,
            AnswerAudienceChange.local_authority_id == consultation.local_authority_id,
        )
        .order_by(AnswerAudienceChange.changed_at, AnswerAudienceChange.id)
    )
    found: dict[int, list[AnswerAudienceChange]] = {}
    for change in rows:
        found.setdefault(change.answer_id, []).append(change)
    return found


def switch_form(consultation: Consultation, form: Questionnaire) -> None:
    consultation.form_key = form.key
    consultation.form_version = form.version
    consultation.current_step = router.first_step(form)
    consultation.updated_at = utcnow()


def submit(consultation: Consultation) -> bool:
    """Mark as submitted once, on time or late (never refused for being late); a second
    press changes nothing and returns False."""
    now = utcnow()
    result = db.session.execute(
        update(Consultation)
        .where(
            Consultation.id == consultation.id,
            Consultation.status == ConsultationStatus.STARTED,
        )
        .values(
            status=ConsultationStatus.SUBMITTED,
            submitted_at=now,
            submitted_on_time=deadlines.on_time(consultation.invitation.due_on, now),
            current_step=router.CHECK_ANSWERS,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(consultation)
    return bool(getattr(result, "rowcount", 0))
