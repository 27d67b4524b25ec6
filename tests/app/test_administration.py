"""Administration: accounts, the authority's settings, away and cover, locked invitations."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.domain import languages
from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    Invitation,
    LocalAuthority,
    RecoveryCode,
    SignInSession,
    StaffRole,
    StaffUser,
    utcnow,
)
from tests import factories
from tests.journeys import staff_signs_in

ADMIN = "/staff/admin"


def _signed_in(client, role: StaffRole, la: LocalAuthority | None = None):  # type: ignore[no-untyped-def]
    la = la or factories.authority()
    person = factories.staff(la, role=role, name="Ada Admin")
    db.session.commit()
    signed_in = staff_signs_in(client, person.email)
    assert signed_in.status_code == 302, signed_in.text
    return la, person


def _events(action: AuditAction) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def _token(client) -> str:  # type: ignore[no-untyped-def]
    """A CSRF token from any page the signed-in person is shown (the sign-out form has one)."""
    page = client.get(f"{ADMIN}/no-such-page")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def _routes(app: Flask) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[1:2] in (["administration"], ["audit_trail"]):
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                found.append((rule.rule, method))
    return found


def _url(rule: str, number: int) -> str:
    return re.sub(r"<id:[a-z_]+>", str(number), rule)


def test_every_route_is_covered_by_the_role_tests(app: Flask) -> None:
    # A new route here must be added to the role tests below.
    assert {rule for rule, _method in _routes(app)} == {
        "/staff/admin/",
        "/staff/admin/accounts",
        "/staff/admin/accounts/new",
        "/staff/admin/accounts/<id:staff_id>",
        "/staff/admin/accounts/<id:staff_id>/disable",
        "/staff/admin/accounts/<id:staff_id>/enable",
        "/staff/admin/accounts/<id:staff_id>/unlock",
        "/staff/admin/accounts/<id:staff_id>/reset-two-factor",
        "/staff/admin/settings",
        "/staff/admin/team",
        "/staff/admin/team/<id:staff_id>",
        "/staff/admin/locked-invitations",
        "/staff/admin/locked-invitations/<id:invitation_id>/unlock",
        "/staff/audit/",
        "/staff/audit/export.csv",
    }


def test_an_iro_gets_not_found_on_every_admin_and_audit_route(app: Flask, client) -> None:
    la, iro = _signed_in(client, StaffRole.IRO)
    colleague = factories.staff(la, role=StaffRole.MANAGER)
    _kid, review = factories.child(la, iro)
    issued = factories.invitation(review)
    issued.invitation.locked_at = utcnow()
    db.session.commit()
    token = _token(client)
    for rule, method in _routes(app):
        url = _url(rule, issued.invitation.id if "invitation_id" in rule else colleague.id)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, "away": "yes"})
        assert response.status_code == 404, f"{method} {url}"
    # Nothing changed.
    assert db.session.get(StaffUser, colleague.id).active
    assert not db.session.get(StaffUser, colleague.id).away
    assert db.session.get(Invitation, issued.invitation.id).locked_at is not None


def test_signing_in_is_needed(client) -> None:
    for path in (f"{ADMIN}/accounts", f"{ADMIN}/team", "/staff/audit/"):
        assert client.get(path).headers["Location"].startswith("/staff/sign-in")


def test_a_manager_has_team_locked_invitations_and_audit_but_not_accounts_or_settings(
    app: Flask, client
) -> None:
    la, manager = _signed_in(client, StaffRole.MANAGER)
    iro = factories.staff(la)
    db.session.commit()
    for path in (f"{ADMIN}/", f"{ADMIN}/team", f"{ADMIN}/locked-invitations", "/staff/audit/"):
        assert client.get(path).status_code == 200, path
    token = _token(client)
    for rule, method in _routes(app):
        if "/accounts" not in rule and "/settings" not in rule:
            continue
        url = _url(rule, iro.id)
        response = (
            client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        )
        assert response.status_code == 404, f"{method} {url}"
    assert db.session.get(StaffUser, iro.id).active


def test_an_administrator_has_accounts_and_settings(client) -> None:
    _signed_in(client, StaffRole.ADMINISTRATOR)
    for path in (
        f"{ADMIN}/",
        f"{ADMIN}/accounts",
        f"{ADMIN}/accounts/new",
        f"{ADMIN}/settings",
        f"{ADMIN}/team",
        f"{ADMIN}/locked-invitations",
        "/staff/audit/",
    ):
        assert client.get(path).status_code == 200, path


# --- Accounts ---------------------------------------------------------------------------


def test_the_accounts_list_shows_each_persons_state(client) -> None:
    la, admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    locked = factories.staff(la, name="Lou Locked")
    locked.failed_sign_ins = 10
    gone = factories.staff(la, name="Dee Disabled")
    gone.active = False
    away = factories.staff(la, name="Abe Away")
    away.away = True
    fresh = factories.staff(la, name="Nia New")
    fresh.totp_secret = None
    fresh.totp_enrolled_at = None
    elsewhere = factories.staff(factories.authority(), name="Otto Outsider")
    db.session.commit()

    page = client.get(f"{ADMIN}/accounts").text
    assert "Otto Outsider" not in page and elsewhere.email not in page

    def row(name: str) -> str:
        found = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{name}(?:(?!</tr>).)*</tr>", page, re.S)
        assert found, name
        return found.group(0)

    assert "Locked out" in row("Lou Locked") and "Locked out" not in row("Ada Admin")
    assert "Disabled" in row("Dee Disabled") and "Active" in row("Lou Locked")
    assert "Away" in row("Abe Away") and "Away" not in row("Lou Locked")
    assert "Two-factor not set up" in row("Nia New")
    assert locked.email in row("Lou Locked") and "Administrator" in row("Ada Admin")


def test_adding_an_account_shows_its_first_password_once(client) -> None:
    la, admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    added = client.submit(
        f"{ADMIN}/accounts/new",
        {
            "name": "Priya Patel",
            "email": "  Priya.Patel@Testshire.EXAMPLE ",
            "phone": "01632 960 555",
            "role": "iro",
        },
    )
    assert added.status_code == 200  # shown on this response: no redirect, nothing in a URL
    password = re.search(r'translate="no">([^<]+)<', added.text).group(1)  # type: ignore[union-attr]
    assert len(password) >= 16

    person = db.session.scalars(
        select(StaffUser).where(StaffUser.email == "priya.patel@testshire.example")
    ).one()
    assert (person.display_name, person.phone, person.role) == (
        "Priya Patel",
        "01632 960 555",
        "iro",
    )
    assert person.local_authority_id == la.id and person.active
    assert person.totp_secret is None and person.totp_enrolled_at is None
    assert password not in person.password_hash
    from flask import current_app

    assert current_app.extensions["secret_hasher"].verify_password(person.password_hash, password)

    created = _events(AuditAction.CREATED_ACCOUNT)
    assert [(e.staff_user_id, e.subject_type, e.subject_id) for e in created] == [
        (admin.id, "staff_user", person.id)
    ]
    assert password not in created[0].detail
    # Never shown again.
    assert password not in client.get(f"{ADMIN}/accounts").text
    assert password not in client.get(f"{ADMIN}/accounts/{person.id}").text


def test_an_email_address_in_use_anywhere_is_refused(client) -> None:
    _signed_in(client, StaffRole.ADMINISTRATOR)
    elsewhere = factories.staff(factories.authority())
    db.session.commit()
    refused = client.submit(
        f"{ADMIN}/accounts/new",
        {"name": "Sam Same", "email": elsewhere.email.upper(), "phone": "01632 960 556"},
    )
    assert "There is already an account with this email address" in refused.text
    assert "Choose a role" in refused.text
    assert "Sam Same" in refused.text  # what was typed is kept
    assert db.session.scalar(select(StaffUser).where(StaffUser.display_name == "Sam Same")) is None


def test_a_new_account_with_mistakes_gets_clear_errors_and_keeps_what_was_typed(client) -> None:
    _signed_in(client, StaffRole.ADMINISTRATOR)
    before = len(db.session.scalars(select(StaffUser)).all())
    empty = client.submit(f"{ADMIN}/accounts/new", {"name": "", "email": "", "phone": ""})
    assert "<title>Error:" in empty.text
    for message in (
        "Enter their full name",
        "Enter their email address",
        "Enter their phone number",
        "Choose a role",
    ):
        assert message in empty.text
    wrong = client.submit(
        f"{ADMIN}/accounts/new",
        {
            "name": "Zed \x00Zebra 🦓",
            "email": "not an email",
            "phone": "call me maybe",
            "role": "superuser",
        },
    )
    assert "Enter an email address in the right form" in wrong.text
    assert "Enter a phone number of 6 to 15 digits" in wrong.text
    assert "Choose a role" in wrong.text
    assert 'value="Zed Zebra 🦓"' in wrong.text
    assert 'value="call me maybe"' in wrong.text
    huge = client.submit(
        f"{ADMIN}/accounts/new",
        {"name": "x" * 5000, "email": "a@b.example", "phone": "01632 960 557", "role": "iro"},
    )
    assert "characters or fewer" in huge.text
    assert len(db.session.scalars(select(StaffUser)).all()) == before


def test_disabling_an_account_ends_their_session_at_once(client, make_client) -> None:
    la, admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    manager = factories.staff(la, role=StaffRole.MANAGER)
    db.session.commit()
    theirs = make_client()
    staff_signs_in(theirs, manager.email)
    assert theirs.get(f"{ADMIN}/team").status_code == 200

    done = client.submit(
        f"{ADMIN}/accounts/{manager.id}/disable", {}, from_url=f"{ADMIN}/accounts/{manager.id}"
    )
    assert done.headers["Location"] == f"{ADMIN}/accounts/{manager.id}"
    assert "account is disabled" in client.get(done.headers["Location"]).text

    assert theirs.get(f"{ADMIN}/team").headers["Location"].startswith("/staff/sign-in")
    assert not db.session.get(StaffUser, manager.id).active
    sessions = db.session.scalars(
        select(SignInSession).where(SignInSession.staff_user_id == manager.id)
    ).all()
    assert sessions and all(s.ended_at is not None for s in sessions)
    # The administrator's own session goes on.
    assert client.get(f"{ADMIN}/accounts").status_code == 200
    assert [(e.subject_id, e.staff_user_id) for e in _events(AuditAction.DISABLED_ACCOUNT)] == [
        (manager.id, admin.id)
    ]

    client.submit(
        f"{ADMIN}/accounts/{manager.id}/enable", {}, from_url=f"{ADMIN}/accounts/{manager.id}"
    )
    assert db.session.get(StaffUser, manager.id).active
    assert [e.subject_id for e in _events(AuditAction.ENABLED_ACCOUNT)] == [manager.id]


def test_an_administrator_cannot_disable_themselves(client) -> None:
    _la, admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    refused = client.submit(
        f"{ADMIN}/accounts/{admin.id}/disable", {}, from_url=f"{ADMIN}/accounts/{admin.id}"
    )
    assert refused.status_code == 200
    assert "You cannot disable your own account" in refused.text
    assert "<title>Error:" in refused.text
    assert db.session.get(StaffUser, admin.id).active
    assert _events(AuditAction.DISABLED_ACCOUNT) == []
    assert client.get(f"{ADMIN}/accounts").status_code == 200


def test_unlocking_a_locked_out_member_of_staff(client) -> None:
    la, admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    locked = factories.staff(la)
    locked.failed_sign_ins = 10
    db.session.commit()
    assert (
        "Locked after too many wrong passwords" in client.get(f"{ADMIN}/accounts/{locked.id}").text
    )
    client.submit(
        f"{ADMIN}/accounts/{locked.id}/unlock", {}, from_url=f"{ADMIN}/accounts/{locked.id}"
    )
    assert db.session.get(StaffUser, locked.id).failed_sign_ins == 0
    events = _events(AuditAction.ENABLED_ACCOUNT)
    assert [(e.subject_type, e.subject_id, e.detail) for e in events] == [
        ("staff_user", locked.id, "unlocked")
    ]


def test_resetting_two_factor_makes_them_enrol_again(client, make_client) -> None:
    la, admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    manager = factories.staff(la, role=StaffRole.MANAGER)
    db.session.commit()
    theirs = make_client()
    staff_signs_in(theirs, manager.email)
    db.session.add(RecoveryCode(staff_user_id=manager.id, code_digest="f" * 64))
    db.session.commit()

    client.submit(
        f"{ADMIN}/accounts/{manager.id}/reset-two-factor",
        {},
        from_url=f"{ADMIN}/accounts/{manager.id}",
    )
    reset = db.session.get(StaffUser, manager.id)
    assert (reset.totp_secret, reset.totp_last_step, reset.totp_enrolled_at) == (None, None, None)
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert theirs.get(f"{ADMIN}/team").headers["Location"].startswith("/staff/sign-in")
    assert [e.subject_id for e in _events(AuditAction.RESET_TWO_FACTOR)] == [manager.id]


def test_another_authoritys_accounts_are_not_found_and_the_attempt_is_recorded(
    client,
) -> None:
    _la, admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    outsider = factories.staff(factories.authority(), name="Otto Outsider")
    outsider.failed_sign_ins = 10
    db.session.commit()
    assert client.get(f"{ADMIN}/accounts/{outsider.id}").status_code == 404
    token = _token(client)
    for action in ("disable", "enable", "unlock", "reset-two-factor"):
        response = client.post(
            f"{ADMIN}/accounts/{outsider.id}/{action}", data={"csrf_token": token}
        )
        assert response.status_code == 404
        assert "Otto Outsider" not in response.text
    untouched = db.session.get(StaffUser, outsider.id)
    assert untouched.active and untouched.failed_sign_ins == 10
    assert untouched.totp_secret is not None
    denied = _events(AuditAction.DENIED)
    assert len(denied) == 5
    assert {(e.subject_type, e.subject_id, e.staff_user_id) for e in denied} == {
        ("staff_user", outsider.id, admin.id)
    }


# --- Settings ---------------------------------------------------------------------------


@pytest.fixture
def all_languages_offered(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Offer every language whether or not its catalogue is complete today."""
    offered = {code: languages.describe(code) for code in ("en_GB", *languages.TRANSLATED)}
    monkeypatch.setitem(app.extensions, "portal_languages", offered)


def _settings(**changes: object) -> dict[str, object]:
    return {
        "service_name": "Your Voice, Testshire",
        "iro_team_phone": "01632 960 000",
        "iro_team_email": "iro@testshire.example",
        "advocacy_service_name": "Testshire Advocacy",
        "advocacy_phone": "01632 960 001",
        "complaints_phone": "",
        "complaints_email": "",
        "languages": list(languages.TRANSLATED),
        "email_sender": "none",
        "sms_sender": "none",
        **changes,
    }


def test_settings_are_saved_and_the_change_recorded_by_field_name(
    client, all_languages_offered: None
) -> None:
    la, admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    page = client.get(f"{ADMIN}/settings").text
    assert la.service_name in page and la.iro_team_email in page

    saved = client.submit(
        f"{ADMIN}/settings",
        _settings(
            iro_team_email=la.iro_team_email,
            service_name="Speak Up Testshire \x00",
            complaints_email="complaints@testshire.example",
            languages=["ti"],
            email_sender="notify",
            sms_sender="notify",
        ),
    )
    assert saved.status_code == 302
    authority = db.session.get(LocalAuthority, la.id)
    assert authority.service_name == "Speak Up Testshire"
    assert authority.complaints_email == "complaints@testshire.example"
    assert authority.enabled_languages == "en_GB ti"
    assert (authority.email_sender, authority.sms_sender) == ("notify", "notify")
    assert "The settings are saved" in client.get(f"{ADMIN}/settings").text

    (event,) = _events(AuditAction.CHANGED_SETTINGS)
    assert event.subject_type == "local_authority" and event.subject_id == la.id
    assert event.detail.split(", ") == [
        "service_name",
        "complaints_email",
        "enabled_languages",
        "email_sender",
        "sms_sender",
    ]
    assert "Speak Up" not in event.detail  # names of fields, never their values


def test_english_is_always_offered(client, all_languages_offered: None) -> None:
    la, _admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    page = client.get(f"{ADMIN}/settings").text
    assert 'value="en_GB"' not in page  # no box to untick
    assert "English is always offered" in page
    settings = _settings()
    del settings["languages"]  # every box unticked
    client.submit(f"{ADMIN}/settings", settings)
    assert db.session.get(LocalAuthority, la.id).enabled_languages == "en_GB"
    client.submit(f"{ADMIN}/settings", _settings(languages=["ti", "ar"]))
    assert db.session.get(LocalAuthority, la.id).enabled_languages == "en_GB ar ti"
    # English is not a choice to make: a crafted post naming it changes nothing.
    refused = client.submit(f"{ADMIN}/settings", _settings(languages=["en_GB"]))
    assert "Choose one of the options shown" in refused.text
    assert db.session.get(LocalAuthority, la.id).enabled_languages == "en_GB ar ti"


def test_a_language_not_offered_now_is_kept_when_other_settings_change(
    client, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    la, _admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    monkeypatch.setitem(app.extensions, "portal_languages", {"en_GB": languages.describe("en_GB")})
    settings = _settings(service_name="Renamed")
    del settings["languages"]  # no boxes are shown to tick
    assert "No other language’s translation is complete yet" in client.get(f"{ADMIN}/settings").text
    client.submit(f"{ADMIN}/settings", settings)
    authority = db.session.get(LocalAuthority, la.id)
    assert authority.service_name == "Renamed"
    assert authority.enabled_languages == " ".join(("en_GB", *languages.TRANSLATED))


def test_settings_with_mistakes_keep_what_was_typed(client, all_languages_offered: None) -> None:
    la, _admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    before = la.service_name
    wrong = client.submit(
        f"{ADMIN}/settings",
        _settings(
            service_name="",
            iro_team_phone="ring the office",
            iro_team_email="iro at testshire",
            advocacy_service_name="مناصرة Testshire",
            complaints_phone="0" * 41,
            languages=["ar", "xx"],
            email_sender="pigeon",
        ),
    )
    assert wrong.status_code == 200
    assert "<title>Error:" in wrong.text
    for message in (
        "Enter the name of the service",
        "Enter a phone number of 6 to 15 digits",
        "Enter an email address in the right form",
        "characters or fewer",
        "Choose one of the options shown",
    ):
        assert message in wrong.text, message
    assert 'value="ring the office"' in wrong.text
    assert 'value="iro at testshire"' in wrong.text
    assert 'value="مناصرة Testshire"' in wrong.text
    authority = db.session.get(LocalAuthority, la.id)
    assert authority.service_name == before and authority.email_sender == "none"
    assert _events(AuditAction.CHANGED_SETTINGS) == []


def test_saving_unchanged_settings_records_nothing(client, all_languages_offered: None) -> None:
    la, _admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    settings = _settings(
        service_name=la.service_name,
        iro_team_email=la.iro_team_email,
        languages=list(languages.TRANSLATED),
    )
    saved = client.submit(f"{ADMIN}/settings", settings)
    assert saved.status_code == 302
    assert "Nothing was changed" in client.get(f"{ADMIN}/settings").text
    assert _events(AuditAction.CHANGED_SETTINGS) == []


# --- Away and cover ---------------------------------------------------------------------


def test_a_manager_marks_an_iro_away_with_cover_and_back(client) -> None:
    la, manager = _signed_in(client, StaffRole.MANAGER)
    absent = factories.staff(la, name="Ann Absent")
    cover = factories.staff(la, name="Cal Cover")
    also_away = factories.staff(la, name="Aly Alsoaway")
    also_away.away = True
    disabled = factories.staff(la, name="Dot Disabled")
    disabled.active = False
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR, name="Ari Admin")
    outsider = factories.staff(factories.authority(), name="Otto Outsider")
    db.session.commit()

    team = client.get(f"{ADMIN}/team").text
    assert "Ann Absent" in team and "Otto Outsider" not in team and "Dot Disabled" not in team

    form = client.get(f"{ADMIN}/team/{absent.id}").text
    options = re.findall(r'<option value="(\d*)"', form)
    assert set(options) == {"", str(cover.id), str(manager.id)}
    assert "Aly Alsoaway" not in form and "Ari Admin" not in form

    for wrong in (also_away.id, disabled.id, admin.id, outsider.id, absent.id):
        refused = client.submit(
            f"{ADMIN}/team/{absent.id}", {"away": "yes", "covered_by": str(wrong)}
        )
        assert "Choose one of the options shown" in refused.text
    assert not db.session.get(StaffUser, absent.id).away

    done = client.submit(f"{ADMIN}/team/{absent.id}", {"away": "yes", "covered_by": str(cover.id)})
    assert done.headers["Location"] == f"{ADMIN}/team"
    marked = db.session.get(StaffUser, absent.id)
    assert marked.away and marked.covered_by_id == cover.id
    team = client.get(f"{ADMIN}/team").text
    assert f"{absent.display_name} is marked away. {cover.display_name} covers" in team
    assert re.search(rf"{absent.display_name}</bdi>.*{cover.display_name}</bdi>", team, re.S)

    client.submit(f"{ADMIN}/team/{absent.id}", {"away": "no", "covered_by": str(cover.id)})
    back = db.session.get(StaffUser, absent.id)
    assert not back.away and back.covered_by_id is None
    events = _events(AuditAction.CHANGED_AWAY)
    assert [(e.subject_id, e.detail) for e in events] == [
        (absent.id, f"away, covered by {cover.id}"),
        (absent.id, "back"),
    ]


def test_away_needs_an_answer(client) -> None:
    la, _manager = _signed_in(client, StaffRole.MANAGER)
    iro = factories.staff(la)
    db.session.commit()
    refused = client.submit(f"{ADMIN}/team/{iro.id}", {"covered_by": ""})
    assert "Say whether they are away" in refused.text
    assert "<title>Error:" in refused.text


def test_another_authoritys_iro_cannot_be_marked_away(client) -> None:
    _la, manager = _signed_in(client, StaffRole.MANAGER)
    outsider = factories.staff(factories.authority())
    db.session.commit()
    assert client.get(f"{ADMIN}/team/{outsider.id}").status_code == 404
    response = client.post(
        f"{ADMIN}/team/{outsider.id}", data={"csrf_token": _token(client), "away": "yes"}
    )
    assert response.status_code == 404
    assert not db.session.get(StaffUser, outsider.id).away
    assert {(e.subject_type, e.subject_id) for e in _events(AuditAction.DENIED)} == {
        ("staff_user", outsider.id)
    }


# --- Locked invitations -----------------------------------------------------------------


def _locked(review, name: str):  # type: ignore[no-untyped-def]
    issued = factories.invitation(review, name=name)
    issued.invitation.failed_secret_attempts = 5
    issued.invitation.secret_hash = "not-a-real-hash"
    issued.invitation.locked_at = utcnow() - timedelta(hours=1)
    return issued


def test_unlocking_an_invitation_lets_them_choose_a_new_secret(client, make_client) -> None:
    la, manager = _signed_in(client, StaffRole.MANAGER)
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, name="Lila")
    locked = _locked(review, "Lila")
    factories.invitation(review, name="Unlocked Uma")
    _other_la, _other_iro, _other_kid, other_review, _ = factories.world()
    _locked(other_review, "Faraway Fern")
    db.session.commit()

    listing = client.get(f"{ADMIN}/locked-invitations").text
    assert "Lila" in listing
    assert "Unlocked Uma" not in listing and "Faraway Fern" not in listing
    assert "Child or young person" in listing

    done = client.submit(
        f"{ADMIN}/locked-invitations/{locked.invitation.id}/unlock",
        {},
        from_url=f"{ADMIN}/locked-invitations",
    )
    assert done.headers["Location"] == f"{ADMIN}/locked-invitations"
    after = client.get(done.headers["Location"]).text
    assert "sign in again with the code" in after
    assert "No invitations are locked" in after
    unlocked = db.session.get(Invitation, locked.invitation.id)
    assert (unlocked.locked_at, unlocked.failed_secret_attempts, unlocked.secret_hash) == (
        None,
        0,
        None,
    )
    assert [(e.subject_type, e.subject_id) for e in _events(AuditAction.UNLOCKED_INVITATION)] == [
        ("invitation", locked.invitation.id)
    ]

    # The child uses their code again and is asked to choose a new PIN or word.
    child = make_client()
    entered = child.submit("/sign-in", {"code": locked.code})
    assert entered.status_code == 302
    chose = child.submit("/sign-in/secret", {"secret": "7351", "confirm": "7351"})
    assert chose.status_code == 302


def test_an_administrator_can_unlock_invitations_too(client) -> None:
    la, _admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, name="Noor")
    locked = _locked(review, "Noor")
    db.session.commit()
    assert "Noor" in client.get(f"{ADMIN}/locked-invitations").text
    client.submit(
        f"{ADMIN}/locked-invitations/{locked.invitation.id}/unlock",
        {},
        from_url=f"{ADMIN}/locked-invitations",
    )
    assert db.session.get(Invitation, locked.invitation.id).locked_at is None


def test_another_authoritys_invitation_cannot_be_unlocked(client) -> None:
    _la, manager = _signed_in(client, StaffRole.MANAGER)
    _other_la, _iro, _kid, other_review, _ = factories.world()
    theirs = _locked(other_review, "Faraway Fern")
    db.session.commit()
    response = client.post(
        f"{ADMIN}/locked-invitations/{theirs.invitation.id}/unlock",
        data={"csrf_token": _token(client)},
    )
    assert response.status_code == 404 and "Faraway Fern" not in response.text
    assert db.session.get(Invitation, theirs.invitation.id).locked_at is not None
    (denied,) = _events(AuditAction.DENIED)
    assert (denied.subject_type, denied.subject_id, denied.staff_user_id) == (
        "invitation",
        theirs.invitation.id,
        manager.id,
    )


def test_the_participation_definition_is_chosen_in_the_settings(
    client, all_languages_offered: None
) -> None:
    la, _admin = _signed_in(client, StaffRole.ADMINISTRATOR)
    page = client.get(f"{ADMIN}/settings").text
    assert "How the participation rate is counted" in page
    assert "codes PN1 to PN4 out of PN1 to PN7" in page  # each choice says its definition
    assert la.participation_measure == "participated"
    refused = client.submit(f"{ADMIN}/settings", _settings(participation_measure="everything"))
    assert refused.status_code == 200 and "Choose one of the options shown" in refused.text
    saved = client.submit(f"{ADMIN}/settings", _settings(participation_measure="attended"))
    assert saved.status_code == 302
    assert db.session.get(LocalAuthority, la.id).participation_measure == "attended"
    client.submit(f"{ADMIN}/settings", _settings())  # not sent: kept as it is
    assert db.session.get(LocalAuthority, la.id).participation_measure == "attended"
