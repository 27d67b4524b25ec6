"""The IRO's side: sign-in, their caseload only, reading answers, acting on safety."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import SafetyConcern, StaffUser
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in


def test_wrong_password_gets_a_clear_error_and_repeated_failures_lock(client) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    db.session.commit()
    wrong = staff_signs_in(client, iro.email, "not it")
    assert "The email address or password is not right" in wrong.text
    assert "<title>Error:" in wrong.text
    for _ in range(9):
        staff_signs_in(client, iro.email, "not it")
    locked = staff_signs_in(client, iro.email)
    assert "This account is locked" in locked.text
    assert db.session.get(StaffUser, iro.id).failed_sign_ins == 10


def test_staff_pages_need_sign_in(client) -> None:
    for path in ("/staff/", "/staff/consultations/1"):
        assert client.get(path).headers["Location"].startswith("/staff/sign-in")


def test_the_list_shows_only_the_iros_own_children_with_status(client, make_client) -> None:
    la = factories.authority()
    mine, colleague = factories.staff(la), factories.staff(la)
    _k1, started_review = factories.child(la, mine, name="Asha")
    _k2, invited_review = factories.child(la, mine, name="Bilal")
    _k3, other_review = factories.child(la, colleague, name="Carys")
    started = factories.invitation(started_review, name="Asha")
    factories.invitation(invited_review, name="Bilal")
    factories.invitation(other_review, name="Carys")
    db.session.commit()
    child_signs_in(make_client(), started)

    staff_signs_in(client, mine.email)
    page = client.get("/staff/").text
    assert "Asha" in page and "Bilal" in page and "Carys" not in page
    assert page.index("Asha") < page.index("Started") < page.index("Bilal") < page.index("Invited")


def test_a_safety_concern_is_at_the_top_until_the_iro_records_what_they_did(
    client, make_client
) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _a, early = factories.child(la, iro, name="Early", review_in_days=3)
    _b, later = factories.child(la, iro, name="Later", review_in_days=30)
    factories.invitation(early, name="Early")
    at_risk = factories.invitation(later, name="Later")
    db.session.commit()
    child = make_client()
    first = child_signs_in(child, at_risk)
    cid = int(first.split("/")[2])
    # Raised the moment it is saved: the child never presses "Send".
    child.submit(f"/consultation/{cid}/home", {"feel_safe_home": "no"}, from_url=first)

    staff_signs_in(client, iro.email)
    listing = client.get("/staff/").text
    assert "1 child may not be safe" in listing
    assert listing.index("Later") < listing.index("Early")
    assert 'role="alert"' in listing

    page = client.get(f"/staff/consultations/{cid}").text
    assert "Later said they may not be safe" in page
    empty = client.submit(
        f"/staff/consultations/{cid}/safety",
        {"action_taken": ""},
        from_url=f"/staff/consultations/{cid}",
    )
    assert "Say what you did to keep the child safe" in empty.text
    assert db.session.scalars(select(SafetyConcern)).one().cleared_at is None

    done = client.submit(
        f"/staff/consultations/{cid}/safety",
        {"action_taken": "Called Later and the social worker; visit today."},
        from_url=f"/staff/consultations/{cid}",
    )
    assert done.status_code == 302
    concern = db.session.scalars(select(SafetyConcern)).one()
    assert concern.cleared_at is not None and concern.cleared_by_id == iro.id
    assert "may not be safe" not in client.get("/staff/").text
    assert "Called Later and the social worker" in client.get(f"/staff/consultations/{cid}").text


def test_the_iro_reads_answers_exactly_with_language_and_private_marked(
    client, make_client
) -> None:
    la, iro, kid, review, issued = factories.world(age=15, language="ar")
    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    written = "أريد أن أبقى مع عائلتي الحاضنة. My school is good."
    child.submit(f"/consultation/{cid}/your_views", {"working_well": written}, from_url=first)
    child.submit(f"/consultation/{cid}/only_for_iro", {"only_for_iro": "سر"}, from_url=first)
    child.submit(first, {"attend": "chair"})

    staff_signs_in(client, iro.email)
    page = client.get(f"/staff/consultations/{cid}").text
    assert written in page
    assert 'lang="ar" dir="auto"' in page
    assert "Written in: Arabic" in page
    assert "Ask an interpreter to read it with you, not an online translator." in page
    assert "Only for the IRO" in page
    assert "What is working well for you?" in page  # questions in English
    assert "Yes, and I would like to lead (chair) the meeting" in page
    # In the order of the form, not the order typed.
    assert page.index("Would you like to come") < page.index("What is working well")


def test_nothing_of_another_authority_or_caseload_is_visible(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world()
    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    child.submit(first, {"meeting_where": "Private place"})

    same_la_colleague = factories.staff(la)
    other_la = factories.authority()
    outsider = factories.staff(other_la)
    db.session.commit()
    for stranger in (same_la_colleague, outsider):
        viewer = make_client()
        staff_signs_in(viewer, stranger.email)
        assert kid.preferred_name not in viewer.get("/staff/").text
        for path in (f"/staff/consultations/{cid}",):
            page = viewer.get(path)
            assert page.status_code == 404 and "Private place" not in page.text
        posted = viewer.submit(
            f"/staff/consultations/{cid}/safety", {"action_taken": "x"}, from_url="/staff/"
        )
        assert posted.status_code == 404


def test_a_child_session_cannot_open_staff_pages_nor_staff_child_pages(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world()
    first = child_signs_in(client, issued)
    assert client.get("/staff/").headers["Location"].startswith("/staff/sign-in")
    staff = make_client()
    staff_signs_in(staff, iro.email)
    assert staff.get(first).headers["Location"].startswith("/sign-in")


def test_staff_pages_have_no_quick_exit_but_child_pages_do(client, make_client) -> None:
    la, iro, *_rest, issued = factories.world()
    staff_signs_in(client, iro.email)
    assert "Leave this site" not in client.get("/staff/").text
    child = make_client()
    assert "Leave this site" in child.get(child_signs_in(child, issued)).text


def test_staff_are_signed_out_after_30_minutes_idle_and_told_why(client) -> None:
    from datetime import timedelta

    from portal.models import SignInSession, utcnow

    la = factories.authority()
    iro = factories.staff(la)
    db.session.commit()
    staff_signs_in(client, iro.email)

    def idle_for(minutes: int) -> None:
        for sign_in in db.session.scalars(select(SignInSession)):
            sign_in.last_seen_at = utcnow() - timedelta(minutes=minutes)
        db.session.commit()

    idle_for(29)
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "you are signed out after 30 minutes without using this site" in page.text
    idle_for(31)
    moved = client.get("/staff/")
    assert moved.headers["Location"] == "/staff/sign-in?reason=expired"
    told = client.get(moved.headers["Location"]).text
    assert "You were signed out because you were inactive for a while." in told
    assert db.session.scalars(select(SignInSession)).one().ended_at is not None
