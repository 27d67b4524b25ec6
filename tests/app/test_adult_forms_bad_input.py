"""Every grown-up's form (parents, carers, each kind of professional) gets the battery the
child's form has: invented options, strange and huge answers, too-long answers, a double
press, a session that ended and a stale page, all without losing a word."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.data.invitations import IssuedInvitation
from portal.extensions import db
from portal.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    InviteeRole,
    SignInSession,
    utcnow,
)
from portal.questionnaires.declarations import AnswerType, Question, Questionnaire, form_for_role
from tests import factories
from tests.conftest import AuditingClient
from tests.journeys import child_returns, child_signs_in, staff_signs_in

GROWN_UPS = [
    (InviteeRole.PARENT, None),
    (InviteeRole.CARER, None),
    (InviteeRole.PROFESSIONAL, "health"),
    (InviteeRole.PROFESSIONAL, "education"),
    (InviteeRole.PROFESSIONAL, "other"),
]
IDS = ["parent", "carer", "health", "education", "other"]
STRANGE = (
    "Settled 😀👍🏽 at home. يتحدث العربية with his carer. "
    "\u202egninrael\u202c and zero\u200bwidth\u200d and \u2067إلى\u2069 ok."
)


def _form(role: InviteeRole, kind: str | None) -> Questionnaire:
    form = form_for_role(role, kind)
    assert form is not None
    return form


def _first(form: Questionnaire, kind: AnswerType) -> tuple[str, Question]:
    for step in form.steps:
        for question in step.questions:
            if question.type == kind:
                return step.key, question
    raise AssertionError(f"{form.key} has no {kind} question")


def _invited(role: InviteeRole, kind: str | None) -> tuple[IssuedInvitation, object]:
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro)
    issued = factories.invitation(review, role=role, name="Grown-up", professional_kind=kind)
    db.session.commit()
    return issued, iro


def _answers(consultation_id: int) -> dict[str, str]:
    rows = db.session.scalars(select(Answer).where(Answer.consultation_id == consultation_id))
    return {a.question_key: a.value for a in rows}


def _step_url(first: str, step_key: str) -> str:
    return first.rsplit("/", 1)[0] + f"/{step_key}"


@pytest.mark.parametrize(("role", "kind"), GROWN_UPS, ids=IDS)
def test_an_invented_option_is_refused_and_nothing_is_saved(
    client: AuditingClient, role: InviteeRole, kind: str | None
) -> None:
    form = _form(role, kind)
    step, question = _first(form, AnswerType.CHOICE)
    issued, _iro = _invited(role, kind)
    first = child_signs_in(client, issued)
    page = client.submit(
        _step_url(first, step), {question.key: "<script>alert(1)</script>"}, from_url=first
    )
    assert page.status_code == 200
    assert "Choose one of the options shown" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert _answers(int(first.split("/")[2])) == {}


@pytest.mark.parametrize(("role", "kind"), GROWN_UPS, ids=IDS)
def test_strange_huge_and_null_answers_are_kept_exactly_and_read_by_the_iro(
    client: AuditingClient, make_client, role: InviteeRole, kind: str | None
) -> None:
    form = _form(role, kind)
    step, question = _first(form, AnswerType.TEXT)
    issued, iro = _invited(role, kind)
    first = child_signs_in(client, issued)
    cid = int(first.split("/")[2])
    url = _step_url(first, step)
    client.submit(url, {question.key: STRANGE}, from_url=first)
    assert _answers(cid)[question.key] == STRANGE
    huge = ("Paragraph " * 1000)[:10_000]
    client.submit(url, {question.key: huge}, from_url=first)
    assert _answers(cid)[question.key] == huge.strip()
    client.submit(url, {question.key: "before\x00after"}, from_url=first)
    assert _answers(cid)[question.key] == "beforeafter"
    client.submit(url, {question.key: STRANGE}, from_url=first)

    staff = make_client()
    staff_signs_in(staff, iro.email)  # type: ignore[attr-defined]
    shown = staff.get(f"/staff/consultations/{cid}").text
    assert STRANGE in shown
    assert "hidden characters that change the direction of text" in shown


@pytest.mark.parametrize(("role", "kind"), GROWN_UPS, ids=IDS)
def test_a_too_long_answer_gets_an_error_and_keeps_the_text(
    client: AuditingClient, role: InviteeRole, kind: str | None
) -> None:
    step, question = _first(_form(role, kind), AnswerType.TEXT)
    issued, _iro = _invited(role, kind)
    first = child_signs_in(client, issued)
    too_long = "x" * 20_001
    page = client.submit(_step_url(first, step), {question.key: too_long}, from_url=first)
    assert "Your answer must be 20,000 characters or fewer" in page.text
    assert too_long in page.text
    assert _answers(int(first.split("/")[2])) == {}


@pytest.mark.parametrize(("role", "kind"), GROWN_UPS, ids=IDS)
def test_a_double_pressed_send_sends_once(
    client: AuditingClient, role: InviteeRole, kind: str | None
) -> None:
    issued, _iro = _invited(role, kind)
    cid = int(child_signs_in(client, issued).split("/")[2])
    token = client.csrf_token(f"/consultation/{cid}/check")
    client.post(f"/consultation/{cid}/submit", data={"csrf_token": token})
    sent_at = db.session.get(Consultation, cid).submitted_at  # type: ignore[union-attr]
    again = client.post(f"/consultation/{cid}/submit", data={"csrf_token": token})
    assert again.headers["Location"] == f"/consultation/{cid}/sent"
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 1
    consultation = db.session.get(Consultation, cid, populate_existing=True)
    assert consultation is not None and consultation.status == ConsultationStatus.SUBMITTED
    assert consultation.submitted_at == sent_at


@pytest.mark.parametrize(("role", "kind"), GROWN_UPS, ids=IDS)
def test_a_session_that_ended_keeps_what_was_posted(
    client: AuditingClient, role: InviteeRole, kind: str | None
) -> None:
    step, question = _first(_form(role, kind), AnswerType.TEXT)
    issued, _iro = _invited(role, kind)
    first = child_signs_in(client, issued)
    url = _step_url(first, step)
    token = client.csrf_token(url)
    for sign_in in db.session.scalars(select(SignInSession)):
        sign_in.last_seen_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    posted = client.post(url, data={"csrf_token": token, question.key: "Café ☕ on Fridays"})
    assert posted.headers["Location"] == "/sign-in?reason=kept"
    child_returns(client, issued.code)
    assert client.get("/consultation").headers["Location"] == url
    page = client.get(url)
    assert "We kept what you wrote" in page.text and "Café ☕ on Fridays" in page.text


@pytest.mark.parametrize(("role", "kind"), GROWN_UPS, ids=IDS)
def test_a_stale_page_keeps_what_was_posted(
    client: AuditingClient, role: InviteeRole, kind: str | None
) -> None:
    step, question = _first(_form(role, kind), AnswerType.TEXT)
    issued, _iro = _invited(role, kind)
    first = child_signs_in(client, issued)
    url = _step_url(first, step)
    posted = client.post(url, data={"csrf_token": "stale", question.key: "Saturdays"})
    assert posted.headers["Location"] == "/sign-in?reason=kept"
    child_returns(client, issued.code)
    assert "Saturdays" in client.get(client.get("/consultation").headers["Location"]).text
