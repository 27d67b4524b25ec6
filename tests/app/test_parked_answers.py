"""Answers posted after a session ended are kept for the child, and only for them.

Anyone can post to a consultation page without signing in, so only what a child's own
page could have sent is kept: for a consultation not yet sent, one of its pages, that
page's fields, each no longer than an answer, a few times an hour per address, for a
day. Whatever is refused looks the same from outside as what is kept.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from portal.data.parked_answers import MAX_PARKED_BYTES
from portal.extensions import db
from portal.models import Consultation, ConsultationStatus, ParkedAnswers, utcnow
from portal.questionnaires.builder import MAX_PARAGRAPH
from portal.web import people
from tests import factories
from tests.journeys import child_returns, child_signs_in

KEPT = "/sign-in?reason=kept"


def _started(make_client) -> tuple[int, str, object]:  # type: ignore[no-untyped-def]
    """A child (aged 14) has started their consultation: its id, first page, invitation."""
    *_, issued = factories.world()
    first = child_signs_in(make_client(), issued)
    return int(first.split("/")[2]), first, issued


def _parked() -> list[ParkedAnswers]:
    return list(db.session.scalars(select(ParkedAnswers).order_by(ParkedAnswers.id)))


def _post_without_a_session(client, path: str, form: dict[str, str], **kwargs):  # type: ignore[no-untyped-def]
    posted = client.post(path, data={"csrf_token": "stale", **form}, **kwargs)
    assert posted.status_code == 302 and posted.headers["Location"] == KEPT
    with client.session_transaction() as session:
        # Kept or not, the session holds a key of the same kind: nothing tells them apart.
        assert len(session[people.PARKED_ANSWERS]) == 32
    return posted


def test_nothing_is_kept_for_a_consultation_that_does_not_exist(client, make_client) -> None:
    cid, _first, _issued = _started(make_client)
    for path in (f"/consultation/{cid + 1}/meeting", "/consultation/2147483647/meeting"):
        _post_without_a_session(client, path, {"meeting_where": "Planted"})
    assert _parked() == []


def test_nothing_is_kept_for_a_page_the_form_does_not_have(client, make_client) -> None:
    cid, _first, _issued = _started(make_client)
    for step in ("no_such_page", "check", "x" * 300):
        _post_without_a_session(client, f"/consultation/{cid}/{step}", {"meeting_where": "x"})
    assert _parked() == []


def test_nothing_is_kept_for_a_consultation_already_sent(client, make_client) -> None:
    cid, first, _issued = _started(make_client)
    consultation = db.session.get(Consultation, cid)
    assert consultation is not None
    consultation.status = ConsultationStatus.SUBMITTED
    db.session.commit()
    _post_without_a_session(client, first, {"attend": "part", "meeting_where": "Late"})
    assert _parked() == []


def test_only_the_pages_own_fields_are_kept(client, make_client) -> None:
    cid, first, _issued = _started(make_client)
    _post_without_a_session(
        client,
        first,
        {
            "attend": "part",
            "meeting_where": "At school",
            "working_well": "from another page",
            "anything": "at all",
        },
    )
    (parked,) = _parked()
    assert (parked.consultation_id, parked.step_key) == (cid, "meeting")
    assert json.loads(parked.payload) == {"attend": "part", "meeting_where": "At school"}


def test_a_huge_post_is_cut_to_size(client, make_client) -> None:
    cid, _first, _issued = _started(make_client)
    your_views = f"/consultation/{cid}/your_views"
    # About 900 KB of plain text: each answer is cut to the longest an answer can be.
    _post_without_a_session(
        client,
        your_views,
        {"working_well": "a" * 300_000, "worried_about": "b" * 300_000, "x": "c" * 300_000},
    )
    # 900 KB of emoji: even cut to that length they would take 240 KB; the record
    # is cut to MAX_PARKED_BYTES.
    _post_without_a_session(
        client,
        your_views,
        {key: "😀" * 25_000 for key in ("working_well", "worried_about", "needs_to_happen")},
    )
    plain, emoji = _parked()
    assert json.loads(plain.payload) == {
        "working_well": "a" * MAX_PARAGRAPH,
        "worried_about": "b" * MAX_PARAGRAPH,
    }
    assert len(emoji.payload.encode("utf-8")) <= MAX_PARKED_BYTES
    kept = json.loads(emoji.payload)
    assert kept["working_well"] == "😀" * MAX_PARAGRAPH
    assert all(set(value) == {"😀"} for value in kept.values())
    assert sum(len(value) for value in kept.values()) < 3 * MAX_PARAGRAPH


def test_parking_is_limited_per_address(client, make_client) -> None:
    cid, first, _issued = _started(make_client)
    for n in range(20):
        _post_without_a_session(client, first, {"meeting_where": f"Place {n}"})
    assert len(_parked()) == 20
    # The 21st from the same address within 15 minutes gets the same answer, and is
    # not kept.
    _post_without_a_session(client, first, {"meeting_where": "Place 21"})
    assert len(_parked()) == 20
    # Another address is not held back by this one.
    elsewhere = make_client()
    _post_without_a_session(
        elsewhere,
        first,
        {"meeting_where": "From elsewhere"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert len(_parked()) == 21


def test_the_command_deletes_parked_answers_older_than_a_day(app: Flask, make_client) -> None:
    cid, first, _issued = _started(make_client)
    client = make_client()
    for where in ("Old", "Older", "Fresh"):
        _post_without_a_session(client, first, {"meeting_where": where})
    old, older, fresh = _parked()
    old.created_at = utcnow() - timedelta(hours=24, minutes=1)
    older.created_at = utcnow() - timedelta(days=30)
    fresh.created_at = utcnow() - timedelta(hours=23)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["delete-expired-parked-answers"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 expired parked answers." in result.output
    db.session.expire_all()
    assert [json.loads(p.payload)["meeting_where"] for p in _parked()] == ["Fresh"]
    again = app.test_cli_runner().invoke(args=["delete-expired-parked-answers"])
    assert "Deleted 0 expired parked answers." in again.output


def test_a_child_whose_session_ended_still_gets_their_answers_back(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    token = client.csrf_token(first)
    people_page = first.rsplit("/", 1)[0] + "/people"
    client.submit(first, {"attend": "all"})
    # The session ends while they write on the next page; they press Continue.
    client.post("/sign-out", data={"csrf_token": token})
    posted = client.post(
        people_page,
        data={"csrf_token": token, "who_should_be_there": "My nan ❤️", "extra": "dropped"},
    )
    assert posted.headers["Location"] == KEPT
    assert db.session.scalar(select(func.count()).select_from(ParkedAnswers)) == 1

    child_returns(client, issued.code)
    assert client.get("/consultation").headers["Location"] == people_page
    page = client.get(people_page)
    assert "We kept what you wrote" in page.text and "My nan ❤️" in page.text
    assert "dropped" not in page.text
