"""A child's consultation: forms by age, drafts, check answers, submit, bad input."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    InviteeRole,
    SafetyConcern,
    SignInSession,
    utcnow,
)
from tests import factories
from tests.journeys import child_returns, child_signs_in, staff_signs_in


def _id(path: str) -> int:
    return int(path.split("/")[2])


def _answers(consultation_id: int) -> dict[str, str]:
    rows = db.session.scalars(select(Answer).where(Answer.consultation_id == consultation_id))
    return {a.question_key: a.value for a in rows}


def test_the_form_fits_the_childs_age(make_client) -> None:
    expected = {
        5: "Who is helping you?",
        10: "Your review meeting",
        15: "Your review meeting",
        19: "Your review meeting",
    }
    for age, first_title in expected.items():
        *_, issued = factories.world(age=age)
        client = make_client()
        page = client.get(child_signs_in(client, issued))
        assert f">{first_title}</h1>" in page.text
        assert ("lead (chair) the meeting" in page.text) == (age >= 13)
        assert ("Use the version for ages 8 to 12" in page.text) == (age == 15)


def test_progress_is_shown_and_every_page_is_saved_as_a_draft(client, make_client) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    page = client.get(first)
    assert "Page 1 of 12" in page.text
    moved = client.submit(
        first, {"attend": "part", "meeting_where": "At school", "meeting_when": "After 4pm"}
    )
    assert moved.headers["Location"].endswith("/people")
    assert "Page 2 of 12" in client.get(moved.headers["Location"]).text
    assert _answers(_id(first)) == {
        "attend": "part",
        "meeting_where": "At school",
        "meeting_when": "After 4pm",
    }
    # The phone dies; later the child signs in again on another device.
    again = make_client()
    child_returns(again, issued.code)
    resumed = again.get("/consultation").headers["Location"]
    assert resumed.endswith("/people")
    back = again.get(first)
    assert 'value="part" checked' in back.text and 'value="At school"' in back.text


def test_check_answers_change_and_submit(client) -> None:
    *_, issued = factories.world(age=10)
    first = child_signs_in(client, issued)
    cid = _id(first)
    client.submit(first, {"attend": "all"})
    check = client.get(f"/consultation/{cid}/check")
    assert "Check your answers" in check.text
    assert "Yes, for all of it" in check.text
    assert "Not answered" in check.text
    change = f"/consultation/{cid}/meeting?change=1"
    assert f'href="{change}"' in check.text
    changed = client.submit(change, {"attend": "send_views"})
    assert changed.headers["Location"] == f"/consultation/{cid}/check"
    assert "No, but I want my views to be shared" in client.get(f"/consultation/{cid}/check").text

    sent = client.submit(f"/consultation/{cid}/submit", {}, from_url=f"/consultation/{cid}/check")
    assert sent.headers["Location"] == f"/consultation/{cid}/sent"
    confirmation = client.get(f"/consultation/{cid}/sent")
    assert "Your answers have been sent" in confirmation.text
    review_date = re.search(r"meeting about you on (\d{1,2} \w+ \d{4})", confirmation.text)
    assert review_date, "the confirmation names the review date, British style"
    # After sending, the pages show the confirmation rather than an editable form.
    assert client.get(first).headers["Location"] == f"/consultation/{cid}/sent"
    assert client.get("/consultation").headers["Location"] == f"/consultation/{cid}/sent"


def test_a_double_pressed_submit_sends_once(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    cid = _id(first)
    token = client.csrf_token(f"/consultation/{cid}/check")
    client.post(f"/consultation/{cid}/submit", data={"csrf_token": token})
    submitted_at = db.session.get(Consultation, cid).submitted_at
    again = client.post(f"/consultation/{cid}/submit", data={"csrf_token": token})
    assert again.headers["Location"] == f"/consultation/{cid}/sent"
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 1
    consultation = db.session.get(Consultation, cid)
    assert consultation.status == ConsultationStatus.SUBMITTED
    assert consultation.submitted_at == submitted_at


def test_a_child_can_switch_to_a_simpler_version_and_keep_shared_answers(client) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    cid = _id(first)
    client.submit(f"/consultation/{cid}/home", {"home_feeling": "good"}, from_url=first)
    switched = client.submit(
        f"/consultation/{cid}/version", {"form_key": "age_8_to_12"}, from_url=first
    )
    assert switched.headers["Location"] == "/consultation"
    page = client.get(client.get("/consultation").headers["Location"])
    assert "Page 1 of 11" in page.text
    assert "Use the version for ages 13 to 17" in page.text  # and back again
    assert db.session.get(Consultation, cid).form_key == "age_8_to_12"
    assert 'value="good" checked' in client.get(f"/consultation/{cid}/home").text
    # Only versions on offer can be chosen.
    client.submit(f"/consultation/{cid}/version", {"form_key": "parent"}, from_url=first)
    assert db.session.get(Consultation, cid).form_key == "age_8_to_12"


def test_the_youngest_say_who_helped_them(client) -> None:
    *_, issued = factories.world(age=6)
    first = child_signs_in(client, issued)
    page = client.get(first)
    assert 'src="/static/img/faces/' not in page.text  # faces come on the next pages
    missing = client.submit(first, {"helper_name": "Auntie Bee"})
    assert "Choose who is helping you" in missing.text
    assert 'value="Auntie Bee"' in missing.text  # nothing typed is lost
    ok = client.submit(first, {"helped_by": "carer", "helper_name": "Auntie Bee"})
    faces = client.get(ok.headers["Location"])
    assert faces.text.count('src="/static/img/faces/') == 5
    assert "Sad or scared" in faces.text


def test_an_invented_option_is_refused_and_nothing_is_saved(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    page = client.submit(first, {"attend": "<script>alert(1)</script>"})
    assert page.status_code == 200
    assert "Choose one of the options shown" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert _answers(_id(first)) == {}


STRANGE = (
    "I'm happy 😀👍🏽 at home. أنا سعيد في البيت with my carer. "
    "\u202egninrael\u202c and zero\u200bwidth\u200d and \u2067إلى\u2069 ok. "
)


def test_strange_and_huge_answers_are_kept_exactly(client, make_client) -> None:
    la, iro, *_rest, issued = factories.world()
    first = child_signs_in(client, issued)
    cid = _id(first)
    huge = ("Paragraph " * 1000)[:10_000]
    with_nul = "before\x00after"
    client.submit(
        f"/consultation/{cid}/your_views",
        {"working_well": STRANGE, "worried_about": huge, "needs_to_happen": with_nul},
        from_url=first,
    )
    saved = _answers(cid)
    assert saved["working_well"] == STRANGE.strip()
    assert saved["worried_about"] == huge.strip()
    assert saved["needs_to_happen"] == "beforeafter"

    staff = make_client()
    staff_signs_in(staff, iro.email)
    shown = staff.get(f"/staff/consultations/{cid}").text
    assert STRANGE.strip().replace("'", "&#39;") in shown
    assert "hidden characters that change the direction of text" in shown


def test_a_too_long_answer_gets_an_error_and_keeps_the_text(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    cid = _id(first)
    too_long = "x" * 20_001
    page = client.submit(
        f"/consultation/{cid}/your_views", {"working_well": too_long}, from_url=first
    )
    assert "Your answer must be 20,000 characters or fewer" in page.text
    assert too_long in page.text


def test_someone_elses_consultation_is_not_found(client, make_client) -> None:
    *_, mine = factories.world()
    *_, theirs = factories.world()
    other = make_client()
    their_first = child_signs_in(other, theirs)
    other.submit(their_first, {"attend": "all", "meeting_where": "Secret place"})
    child_signs_in(client, mine)
    their_id = _id(their_first)
    for path in (
        their_first,
        f"/consultation/{their_id}/check",
        f"/consultation/{their_id}/sent",
        f"/consultation/{their_id}/help-now",
    ):
        page = client.get(path)
        assert page.status_code == 404 and "Secret place" not in page.text
    posted = client.submit(
        their_first, {"attend": "part"}, from_url=client.get("/consultation").headers["Location"]
    )
    assert posted.status_code == 404
    assert _answers(their_id)["attend"] == "all"
    assert client.get("/consultation/99999999999999/home").status_code == 404


def test_an_expired_session_keeps_what_was_posted(client, make_client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    token = client.csrf_token(first)
    for sign_in in db.session.scalars(select(SignInSession)):
        sign_in.last_seen_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    posted = client.post(
        first, data={"csrf_token": token, "attend": "part", "meeting_where": "Café ☕ near school"}
    )
    assert posted.headers["Location"] == "/sign-in?reason=kept"
    assert "We kept the answers you just sent" in client.get("/sign-in?reason=kept").text
    assert _answers(_id(first)) == {}  # parked, not saved on the child's behalf

    child_returns(client, issued.code)
    assert client.get("/consultation").headers["Location"] == first
    page = client.get(first)
    assert "We kept what you wrote" in page.text
    assert 'value="part" checked' in page.text and "Café ☕ near school" in page.text
    client.submit(first, {"attend": "part", "meeting_where": "Café ☕ near school"})
    assert _answers(_id(first))["meeting_where"] == "Café ☕ near school"
    assert "We kept what you wrote" not in client.get(first).text


def test_after_signing_in_again_the_child_is_back_on_the_page_they_posted(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    cid = _id(first)
    for step in ("meeting", "people", "support"):
        client.submit(f"/consultation/{cid}/{step}", {}, from_url=first)
    # They go back to the first page, and their session has ended before they post.
    client.post(first, data={"csrf_token": "stale", "meeting_when": "Weekends"})
    child_returns(client, issued.code)
    assert client.get("/consultation").headers["Location"] == first
    assert "Weekends" in client.get(first).text


def test_a_stale_form_token_keeps_what_was_posted_too(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    posted = client.post(first, data={"csrf_token": "stale", "meeting_when": "Saturdays"})
    assert posted.headers["Location"] == "/sign-in?reason=kept"
    child_returns(client, issued.code)
    assert "Saturdays" in client.get(client.get("/consultation").headers["Location"]).text


def test_parked_answers_never_reach_someone_elses_consultation(client, make_client) -> None:
    *_, victim = factories.world()
    *_, attacker = factories.world()
    victim_first = child_signs_in(make_client(), victim)
    # A post to the victim's page without a session (as a forged form would be).
    client.post(victim_first, data={"csrf_token": "x", "meeting_where": "Planted"})
    child_signs_in(client, attacker)
    mine = client.get("/consultation").headers["Location"]
    assert "Planted" not in client.get(mine).text
    assert "Planted" not in str(_answers(_id(victim_first)))


def test_not_feeling_safe_shows_help_now_and_flags_the_iro_at_once(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world(age=13)
    first = child_signs_in(client, issued)
    cid = _id(first)
    moved = client.submit(
        f"/consultation/{cid}/home",
        {"home_feeling": "scared", "feel_safe_home": "no"},
        from_url=first,
    )
    assert moved.headers["Location"] == f"/consultation/{cid}/help-now?next=school"
    help_page = client.get(moved.headers["Location"]).text
    assert "call 999" in help_page
    assert "0800 1111" in help_page
    assert iro.phone in help_page and iro.display_name in help_page
    assert f'href="/consultation/{cid}/school"' in help_page
    concerns = db.session.scalars(select(SafetyConcern)).all()
    assert {c.question_key for c in concerns} == {"home_feeling", "feel_safe_home"}
    assert db.session.get(Consultation, cid).status == ConsultationStatus.STARTED

    # Saving the same answers again does not raise more alerts.
    client.submit(
        f"/consultation/{cid}/home",
        {"home_feeling": "scared", "feel_safe_home": "no"},
        from_url=first,
    )
    assert db.session.scalar(select(func.count()).select_from(SafetyConcern)) == 2


def test_a_safe_answer_goes_straight_on(client) -> None:
    *_, issued = factories.world(age=13)
    first = child_signs_in(client, issued)
    cid = _id(first)
    moved = client.submit(
        f"/consultation/{cid}/home",
        {"home_feeling": "okay", "feel_safe_home": "mostly"},
        from_url=first,
    )
    assert moved.headers["Location"] == f"/consultation/{cid}/school"
    assert db.session.scalar(select(func.count()).select_from(SafetyConcern)) == 0


def test_parents_and_carers_get_their_own_forms(make_client) -> None:
    la, iro, kid, review, _child = factories.world()
    for role, title in (
        (InviteeRole.PARENT, "The plan for your child"),
        (InviteeRole.CARER, "How the child is doing"),
    ):
        issued = factories.invitation(review, role=role, name="Grown-up")
        db.session.commit()
        client = make_client()
        assert f">{title}</h1>" in client.get(child_signs_in(client, issued)).text
