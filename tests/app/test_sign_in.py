"""Getting in with an invitation: link, code, secret, lockout, limits, sessions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from portal.extensions import db
from portal.models import Invitation, SignInSession, utcnow
from tests import factories
from tests.journeys import SECRET, child_returns, child_signs_in


def test_personal_link_then_choosing_a_secret_starts_the_consultation(client) -> None:
    *_, issued = factories.world()
    opened = client.get(f"/i/{issued.link_token}")
    # The token leaves the address bar at once.
    assert opened.status_code == 302 and opened.headers["Location"] == "/sign-in/secret"
    page = client.get("/sign-in/secret")
    assert "Choose a PIN or secret word" in page.text
    chose = client.submit("/sign-in/secret", {"secret": "4821", "confirm": "4821"})
    assert chose.headers["Location"] == "/consultation"
    first = client.get("/consultation").headers["Location"]
    assert "Your review meeting" in client.get(first).text


def test_nothing_that_lets_someone_in_is_stored_in_plain_text(client) -> None:
    *_, issued = factories.world()
    child_signs_in(client, issued, secret="tiger")
    dump = " ".join(
        str(value)
        for table in ("invitation", "sign_in_session")
        for row in db.session.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
        for value in row
    )
    assert issued.link_token not in dump
    assert issued.code not in dump and issued.code.replace("-", "") not in dump
    assert "tiger" not in dump
    session_cookie = client.get_cookie("portal_session")
    assert session_cookie is not None and issued.link_token not in session_cookie.value


def test_unknown_link_says_so_and_offers_the_code(client) -> None:
    page = client.get("/i/not-a-real-token")
    assert page.status_code == 404
    assert "We do not recognise that link" in page.text
    assert 'href="/sign-in"' in page.text


def test_returning_with_code_and_secret_resumes_where_the_child_was(client, make_client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    client.submit(first, {"attend": "all"})
    client.submit("/sign-out", {}, from_url=first)
    again = make_client()
    # Codes are forgiving: lower case and spaces are fine.
    signed = child_returns(again, issued.code.lower().replace("-", " "))
    assert signed.headers["Location"] == "/consultation"
    assert again.get("/consultation").headers["Location"].endswith("/people")


def test_a_mistyped_code_gets_a_clear_error(client) -> None:
    page = client.submit("/sign-in", {"code": "AAA-AAA-AAA"})
    assert page.status_code == 200
    assert "We could not find that code" in page.text
    assert page.text.count("We could not find that code") == 2  # summary and field
    assert "<title>Error:" in page.text
    empty = client.submit("/sign-in", {"code": ""})
    assert "Enter the code from your invitation" in empty.text


def test_wrong_secret_counts_down_then_locks(client, make_client) -> None:
    *_, issued = factories.world()
    child_signs_in(client, issued)
    other = make_client()
    other.submit("/sign-in", {"code": issued.code})
    wrong = other.submit("/sign-in/secret", {"secret": "0000"})
    assert "You have 4 more tries" in wrong.text
    for _ in range(3):
        other.submit("/sign-in/secret", {"secret": "0000"})
    last = other.submit("/sign-in/secret", {"secret": "0000"})
    assert "Your invitation is locked" in last.text
    assert "Contact your IRO" in last.text
    invitation = db.session.get(Invitation, issued.invitation.id)
    db.session.refresh(invitation)
    assert invitation.locked_at is not None
    # Even the right secret cannot get in now, and nor can the link.
    third = make_client()
    assert "Your invitation is locked" in third.submit("/sign-in", {"code": issued.code}).text
    assert "Your invitation is locked" in third.get(f"/i/{issued.link_token}").text


def test_a_locked_invitation_also_ends_a_live_session(client, make_client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    issued.invitation.locked_at = utcnow()
    db.session.commit()
    assert client.get(first).headers["Location"].startswith("/sign-in")


def test_expired_and_revoked_invitations_say_to_ask_for_a_new_one(client) -> None:
    la, iro, _kid, review, _issued = factories.world()
    expired = factories.invitation(review, valid_for=timedelta(days=-1))
    revoked = factories.invitation(review)
    revoked.invitation.revoked_at = utcnow()
    db.session.commit()
    for issued in (expired, revoked):
        by_link = client.get(f"/i/{issued.link_token}")
        assert "This invitation has ended" in by_link.text
        by_code = client.submit("/sign-in", {"code": issued.code})
        assert "This invitation has ended" in by_code.text


def test_guessing_codes_is_rate_limited_per_client(client) -> None:
    for n in range(10):
        page = client.submit("/sign-in", {"code": f"AAA-AAA-AA{'ACFHJKMNRW'[n]}"})
        assert page.status_code == 200
    blocked = client.submit("/sign-in", {"code": "AAA-AAA-AAY"})
    assert blocked.status_code == 429
    assert "Too many tries" in blocked.text


def test_a_right_code_is_never_slowed_by_the_limit(client) -> None:
    *_, issued = factories.world()
    for _ in range(9):
        client.submit("/sign-in", {"code": "AAA-AAA-AAA"})
    assert client.submit("/sign-in", {"code": issued.code}).status_code == 302


def test_an_idle_session_ends_and_says_why(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    for sign_in in db.session.scalars(select(SignInSession)):
        sign_in.last_seen_at = utcnow() - timedelta(minutes=21)
    db.session.commit()
    moved = client.get(first)
    assert moved.headers["Location"] == "/sign-in?reason=expired"
    assert "you did not use the site for a while" in client.get(moved.headers["Location"]).text


def test_keep_alive_extends_a_session(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    for sign_in in db.session.scalars(select(SignInSession)):
        sign_in.last_seen_at = utcnow() - timedelta(minutes=19)
    db.session.commit()
    token = client.csrf_token(first)
    assert client.post("/session/keep-alive", headers={"X-CSRFToken": token}).status_code == 204
    db.session.expire_all()
    sign_in = db.session.scalars(select(SignInSession)).one()
    assert utcnow() - sign_in.last_seen_at < timedelta(minutes=1)


def test_keep_alive_needs_a_session_and_a_token(client) -> None:
    assert client.post("/session/keep-alive").status_code == 400  # no CSRF token


def test_signing_out_really_ends_the_session(client, make_client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    stolen = client.get_cookie("portal_session").value
    client.submit("/sign-out", {}, from_url=first)
    assert "You have signed out" in client.get("/signed-out").text
    replay = make_client()
    replay.set_cookie("portal_session", stolen)
    assert replay.get(first).status_code == 302


def test_new_secret_must_be_long_enough_and_typed_twice_the_same(client) -> None:
    *_, issued = factories.world()
    client.get(f"/i/{issued.link_token}")
    short = client.submit("/sign-in/secret", {"secret": "12", "confirm": "12"})
    assert "Your PIN must be at least 4 numbers" in short.text
    word = client.submit("/sign-in/secret", {"secret": "cat", "confirm": "cat"})
    assert "Your secret word must be at least 4 letters" in word.text
    different = client.submit("/sign-in/secret", {"secret": "4821", "confirm": "4812"})
    assert "The two entries are different" in different.text


def test_the_secret_page_without_a_code_goes_back_to_the_start(client) -> None:
    assert client.get("/sign-in/secret").headers["Location"] == "/sign-in"


def test_two_invitations_have_separate_secrets(client, make_client) -> None:
    la, iro, _kid, review, first_issued = factories.world()
    second_issued = factories.invitation(review)
    db.session.commit()
    child_signs_in(client, first_issued, secret=SECRET)
    other = make_client()
    other.submit("/sign-in", {"code": second_issued.code})
    assert "Choose a PIN or secret word" in other.get("/sign-in/secret").text


def test_one_device_guessing_does_not_lock_out_a_whole_home(make_client) -> None:
    # Every test client comes from 127.0.0.1: one address, as in a children's home.
    *_, issued = factories.world()
    guesser = make_client()
    for n in range(10):
        guesser.submit("/sign-in", {"code": f"AAA-AAA-AA{'ACFHJKMNRW'[n]}"})
    assert guesser.submit("/sign-in", {"code": "AAA-AAA-AAY"}).status_code == 429
    # Another child at the same address, on their own phone, still gets in.
    another_child = make_client()
    assert another_child.submit("/sign-in", {"code": issued.code}).status_code == 302


def test_many_devices_at_one_address_still_meet_a_limit(make_client) -> None:
    from portal.families.sign_in.views import GUESS_LIMIT_PER_ADDRESS

    allowed = int(GUESS_LIMIT_PER_ADDRESS.split()[0])
    statuses = []
    for n in range(allowed + 1):
        device = make_client()  # a fresh cookie each time, as a guesser would
        statuses.append(device.submit("/sign-in", {"code": f"AAA-AAA-{n:03d}"}).status_code)
    assert statuses[:allowed] == [200] * allowed
    assert statuses[allowed] == 429
