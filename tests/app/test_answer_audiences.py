"""A child decides who reads each answer in their own words, and the IRO sees it plainly.

Beside every answer a child writes, they choose: only their IRO, their IRO and their
social worker, or everyone at their meeting (where the authority's default starts).
Private questions, and those whose answer can say the child is not safe, stay for the
IRO only whatever is posted. The choice is saved with the answer, said back on check
your answers, can be changed after sending until the review is held (each change
recorded), and the printable record for the meeting leaves out the rest and says so.
"""

from __future__ import annotations

import re

from sqlalchemy import select, text

from portal.domain.reviews import Status as ReviewStatus
from portal.extensions import db
from portal.models import (
    Answer,
    AnswerAudienceChange,
    AuditAction,
    AuditEvent,
    InviteeRole,
    LocalAuthority,
    Review,
)
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in


def _id(path: str) -> int:
    return int(path.split("/")[2])


def _stored(consultation_id: int) -> dict[str, tuple[str, str]]:
    rows = db.session.scalars(
        select(Answer)
        .where(Answer.consultation_id == consultation_id)
        .execution_options(populate_existing=True)
    )
    return {a.question_key: (a.value, a.audience) for a in rows}


def _changes() -> list[tuple[str, str, str]]:
    rows = db.session.execute(
        select(
            Answer.question_key,
            AnswerAudienceChange.from_audience,
            AnswerAudienceChange.to_audience,
        )
        .join(Answer, Answer.id == AnswerAudienceChange.answer_id)
        .order_by(AnswerAudienceChange.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _checked(page: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}" value="(\w+)" checked', page)
    return match.group(1) if match else None


def test_beside_each_answer_in_their_own_words_a_child_chooses_who_reads_it(client) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    cid = _id(first)

    page = client.get(first).text
    # The two questions answered in the child's words each have the choice; the radio
    # question does not.
    assert "Who can read this answer?" in page
    for name in ("meeting_where__audience", "meeting_when__audience"):
        assert [m for m in re.findall(rf'name="{name}" value="(\w+)"', page)] == [
            "iro",
            "iro_social_worker",
            "meeting",
        ]
        assert _checked(page, name) == "meeting"  # the authority's default
    assert "attend__audience" not in page
    assert "Only my IRO" in page and "My IRO and my social worker" in page
    assert "Everyone at my meeting" in page

    client.submit(
        first,
        {
            "attend": "part",
            "meeting_where": "At my nan’s",
            "meeting_where__audience": "iro",
            "meeting_when": "After 4pm",
        },
    )
    assert _stored(cid) == {
        "attend": ("part", "meeting"),
        "meeting_where": ("At my nan’s", "iro"),
        "meeting_when": ("After 4pm", "meeting"),
    }
    again = client.get(first).text
    assert _checked(again, "meeting_where__audience") == "iro"
    assert _checked(again, "meeting_when__audience") == "meeting"

    check = client.get(f"/consultation/{cid}/check").text
    assert "Only your IRO can read this." in check
    assert "Everyone at your meeting can read this." in check
    assert check.index("At my nan’s") < check.index("Only your IRO can read this.")


def test_where_the_choice_starts_is_the_authoritys_and_a_bad_value_is_refused(client) -> None:
    la, *_, issued = factories.world(age=15)
    la.default_answer_audience = "iro_social_worker"
    db.session.commit()
    first = child_signs_in(client, issued)
    page = client.get(first).text
    assert _checked(page, "meeting_where__audience") == "iro_social_worker"

    refused = client.submit(
        first, {"meeting_where": "School", "meeting_where__audience": "the_whole_world"}
    )
    assert refused.status_code == 200
    assert "There is a problem" in refused.text
    assert _stored(_id(first)) == {}


def test_private_answers_and_answers_about_safety_are_for_the_iro_whatever_is_posted(
    client,
) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    cid = _id(first)
    private_page = f"/consultation/{cid}/only_for_iro"
    assert "__audience" not in client.get(private_page).text
    client.submit(
        private_page, {"only_for_iro": "Just for you", "only_for_iro__audience": "meeting"}
    )
    home = f"/consultation/{cid}/home"
    page = client.get(home).text
    assert "home_comments__audience" in page
    assert "feel_safe_home__audience" not in page and "home_feeling__audience" not in page
    client.submit(
        home,
        {
            "home_feeling": "good",
            "home_feeling__audience": "meeting",
            "feel_safe_home": "mostly",
            "feel_safe_home__audience": "meeting",
            "home_comments": "It is OK",
            "home_comments__audience": "meeting",
        },
    )
    assert _stored(cid) == {
        "only_for_iro": ("Just for you", "iro"),
        "home_feeling": ("good", "iro"),
        "feel_safe_home": ("mostly", "iro"),
        "home_comments": ("It is OK", "meeting"),
    }


def test_parents_and_carers_do_not_choose_and_their_answers_are_for_the_iro(
    make_client,
) -> None:
    la, iro, kid, review, _child = factories.world()
    parent = factories.invitation(review, role=InviteeRole.PARENT, name="Morgan")
    db.session.commit()
    client = make_client()
    first = child_signs_in(client, parent)
    cid = _id(first)
    views = f"/consultation/{cid}/your_views"
    assert "__audience" not in client.get(views).text
    client.submit(views, {"working_well": "Contact", "working_well__audience": "meeting"})
    assert _stored(cid) == {"working_well": ("Contact", "iro")}


def test_changing_only_who_reads_an_answer_keeps_when_it_was_written_and_is_recorded(
    client,
) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    cid = _id(first)
    client.submit(first, {"meeting_where": "School", "meeting_where__audience": "meeting"})
    written = db.session.scalars(select(Answer)).one().saved_at
    client.submit(first, {"meeting_where": "School", "meeting_where__audience": "iro"})
    client.submit(first, {"meeting_where": "School", "meeting_where__audience": "iro"})
    answer = db.session.scalars(select(Answer).execution_options(populate_existing=True)).one()
    assert (answer.value, answer.audience, answer.saved_at) == ("School", "iro", written)
    assert _changes() == [("meeting_where", "meeting", "iro")]
    # A page posted without the choice (an older page, another tab) keeps what it had.
    client.submit(first, {"meeting_where": "Home"})
    assert _stored(cid)["meeting_where"] == ("Home", "iro")
    assert len(_changes()) == 1


def _answer_and_send(client, cid: int, first: str) -> None:  # type: ignore[no-untyped-def]
    client.submit(
        first,
        {
            "attend": "all",
            "meeting_where": "At school",
            "meeting_where__audience": "iro",
            "meeting_when": "After football",
            "meeting_when__audience": "meeting",
        },
    )
    client.submit(
        f"/consultation/{cid}/your_views",
        {
            "working_well": "Seeing my brother",
            "working_well__audience": "iro_social_worker",
        },
        from_url=first,
    )
    client.submit(f"/consultation/{cid}/only_for_iro", {"only_for_iro": "A secret"}, from_url=first)
    client.submit(f"/consultation/{cid}/submit", {}, from_url=f"/consultation/{cid}/check")


def test_after_sending_a_child_can_change_who_reads_until_the_review_is_held(client) -> None:
    *_, review, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    cid = _id(first)
    _answer_and_send(client, cid, first)
    page = f"/consultation/{cid}/who-can-read"
    sent = client.get(f"/consultation/{cid}/sent").text
    assert f'href="{page}"' in sent and "Change who can read your answers" in sent

    shown = client.get(page).text
    # Only the answers in the child's own words are offered, never the private one.
    assert re.findall(r'name="(\w+)__audience" value="iro"', shown) == [
        "meeting_where",
        "meeting_when",
        "working_well",
    ]
    assert "A secret" not in shown
    assert _checked(shown, "working_well__audience") == "iro_social_worker"

    saved = client.submit(
        page,
        {
            "meeting_where__audience": "meeting",
            "meeting_when__audience": "meeting",
            "working_well__audience": "iro",
            "only_for_iro__audience": "meeting",  # not offered: ignored
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith("?saved=1")
    assert "Saved." in client.get(saved.headers["Location"]).text
    stored = _stored(cid)
    assert stored["meeting_where"][1] == "meeting" and stored["working_well"][1] == "iro"
    assert stored["only_for_iro"][1] == "iro"
    assert sorted(_changes()) == [
        ("meeting_where", "iro", "meeting"),
        ("working_well", "iro_social_worker", "iro"),
    ]

    # The meeting is held: the choice can no longer change, and the page says why.
    db.session.get(Review, review.id).status = ReviewStatus.HELD
    db.session.commit()
    locked = client.get(page)
    assert "The meeting about you has happened" in locked.text
    assert "__audience" not in locked.text
    assert "Everyone at your meeting can read this." in locked.text
    token = client.csrf_token(f"/consultation/{cid}/sent")
    refused = client.post(page, data={"csrf_token": token, "working_well__audience": "meeting"})
    assert refused.status_code == 409
    assert "The meeting about you has happened" in refused.text
    assert _stored(cid)["working_well"][1] == "iro"
    assert len(_changes()) == 2


def test_the_iro_sees_who_each_answer_is_for_and_the_meeting_record_leaves_the_rest_out(
    client, make_client
) -> None:
    la, iro, kid, review, issued = factories.world(age=15)
    child = make_client()
    first = child_signs_in(child, issued)
    cid = _id(first)
    _answer_and_send(child, cid, first)
    child.submit(
        f"/consultation/{cid}/who-can-read",
        {
            "meeting_where__audience": "iro",
            "meeting_when__audience": "meeting",
            "working_well__audience": "iro_social_worker",
        },
    )

    staff_signs_in(client, iro.email)
    page = client.get(f"/staff/consultations/{cid}").text
    for label in (
        "For the IRO only",
        "For the IRO and the social worker",
        "For everyone at the meeting",
        "Only for the IRO: do not share with parents or carers",
    ):
        assert label in page
    assert page.index("At school") > page.index("For the IRO only")
    assert f'href="/staff/consultations/{cid}/print/meeting"' in page

    whole = client.get(f"/staff/consultations/{cid}/print").text
    for words in ("At school", "After football", "Seeing my brother", "A secret"):
        assert words in whole
    assert "left out" not in whole

    meeting = client.get(f"/staff/consultations/{cid}/print/meeting")
    assert meeting.status_code == 200
    shown = meeting.text
    assert f"Views for the meeting: {kid.preferred_name}" in shown
    # "Yes, for all of it" and "After football" are for everyone; the rest is left out.
    assert "After football" in shown and "Yes, for all of it" in shown
    for words in ("At school", "Seeing my brother", "A secret"):
        assert words not in shown
    assert "3 answers are left out because they are not for everyone at the meeting." in shown

    printed = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == AuditAction.PRINTED_CONSULTATION)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.subject_id, e.detail) for e in printed] == [(cid, ""), (cid, "for the meeting")]


def test_the_iro_sees_that_a_child_changed_who_reads_an_answer(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world(age=15)
    child = make_client()
    first = child_signs_in(child, issued)
    cid = _id(first)
    _answer_and_send(child, cid, first)
    staff_signs_in(client, iro.email)
    assert (
        "The child changed who can read this" not in client.get(f"/staff/consultations/{cid}").text
    )
    child.submit(f"/consultation/{cid}/who-can-read", {"meeting_where__audience": "meeting"})
    assert (
        "The child changed who can read this on" in client.get(f"/staff/consultations/{cid}").text
    )


def test_one_answer_left_out_is_said_in_the_singular(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world(age=15)
    child = make_client()
    first = child_signs_in(child, issued)
    cid = _id(first)
    child.submit(first, {"meeting_where": "At school", "meeting_where__audience": "iro"})
    staff_signs_in(client, iro.email)
    shown = client.get(f"/staff/consultations/{cid}/print/meeting").text
    assert "1 answer is left out because it is not for everyone at the meeting." in shown
    assert "No answers are for everyone at the meeting." in shown


def test_answers_written_before_the_choice_existed_are_for_the_iro_only(app, client) -> None:
    from flask_migrate import downgrade, upgrade

    la, *_, issued = factories.world(age=15)
    la_id = la.id
    first = child_signs_in(client, issued)
    client.submit(first, {"meeting_where": "At school", "meeting_where__audience": "meeting"})
    assert _stored(_id(first)) == {"meeting_where": ("At school", "meeting")}
    db.session.remove()

    downgrade(revision="0005_retention_periods")
    upgrade()
    audience = db.session.scalar(text("SELECT audience FROM answer"))
    assert audience == "iro"
    authority = db.session.get(LocalAuthority, la_id)
    assert (authority.default_answer_audience, authority.advocacy_email) == ("meeting", "")


def test_after_the_review_a_late_page_keeps_who_reads_the_answers_already_given(client) -> None:
    *_, review, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    cid = _id(first)
    client.submit(first, {"meeting_where": "School", "meeting_where__audience": "iro"})
    db.session.get(Review, review.id).status = ReviewStatus.HELD
    db.session.commit()

    page = client.get(first).text
    # No choice that would be ignored beside the answer already given; a new one has one.
    assert "meeting_where__audience" not in page
    assert _checked(page, "meeting_when__audience") == "meeting"
    client.submit(
        first,
        {
            "meeting_where": "School",
            "meeting_where__audience": "meeting",
            "meeting_when": "Late",
            "meeting_when__audience": "iro",
        },
    )
    assert _stored(cid) == {
        "meeting_where": ("School", "iro"),
        "meeting_when": ("Late", "iro"),
    }
    assert _changes() == []


def test_the_record_of_changes_goes_with_its_answer(client) -> None:
    from datetime import timedelta

    from portal.data.retention import delete_expired
    from portal.models import utcnow

    la, *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    cid = _id(first)
    where, when = "meeting_where", "meeting_when"
    for first_audience, second_audience in (("iro", "iro"), ("meeting", "meeting")):
        client.submit(
            first,
            {
                where: "School",
                f"{where}__audience": first_audience,
                when: "Late",
                f"{when}__audience": second_audience,
            },
        )
    assert sorted(_changes()) == [(when, "iro", "meeting"), (where, "iro", "meeting")]
    # Emptied: the answer and the record of who could read it both go.
    client.submit(first, {when: "Late"})
    assert set(_stored(cid)) == {when}
    assert _changes() == [(when, "iro", "meeting")]
    assert len(db.session.scalars(select(AnswerAudienceChange)).all()) == 1
    # Past the authority's retention period, the rest goes with the consultation.
    delete_expired(db.session.get(LocalAuthority, la.id), utcnow() + timedelta(days=365 * 80))
    db.session.commit()
    assert db.session.scalars(select(AnswerAudienceChange)).all() == []
    assert _stored(cid) == {}
