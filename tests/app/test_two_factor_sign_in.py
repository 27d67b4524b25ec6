"""Staff sign in with a password and then an authenticator code; nobody skips the second step."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from portal.domain import two_factor
from portal.extensions import db
from portal.models import AuditAction, AuditEvent, RecoveryCode, StaffUser
from tests import factories
from tests.journeys import next_code, staff_signs_in


def _password(client, email: str, password: str = factories.STAFF_PASSWORD):  # type: ignore[no-untyped-def]
    return client.submit("/staff/sign-in", {"email": email, "password": password})


def test_the_password_alone_signs_nobody_in(client) -> None:
    iro = factories.staff(factories.authority())
    db.session.commit()
    passed = _password(client, iro.email)
    assert passed.headers["Location"] == "/staff/sign-in/code"
    assert client.get("/staff/").headers["Location"].startswith("/staff/sign-in")


def test_a_new_member_of_staff_sets_up_their_app_and_gets_recovery_codes_once(client) -> None:
    newcomer = factories.staff(factories.authority(), enrolled=False)
    db.session.commit()
    passed = _password(client, newcomer.email)
    assert passed.headers["Location"] == "/staff/two-factor/set-up"
    page = client.get("/staff/two-factor/set-up").text
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in page
    typed = re.search(r'<code class="typed-secret">([A-Z2-7 ]+)</code>', page).group(1)  # type: ignore[union-attr]
    secret = typed.replace(" ", "")
    assert f"secret={secret}" not in page  # the URI is only inside the QR image
    # A wrong code is refused with a clear message, and nothing is stored yet.
    wrong = client.submit("/staff/two-factor/set-up", {"code": "000000"})
    assert "That code is not right" in wrong.text
    assert db.session.get(StaffUser, newcomer.id).totp_secret is None
    # The code the app shows for that key completes set-up and signs in.
    code = two_factor.code_at(secret, two_factor.step_at(datetime.now(UTC)))
    done = client.submit("/staff/two-factor/set-up", {"code": code})
    assert done.status_code == 200 and "Your recovery codes" in done.text
    codes = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", done.text)
    assert len(codes) == 10
    stored = db.session.get(StaffUser, newcomer.id)
    assert stored.totp_secret == secret and stored.totp_enrolled_at is not None
    digests = set(db.session.scalars(select(RecoveryCode.code_digest)))
    assert len(digests) == 10 and not any(c in digests for c in codes)  # only HMACs kept
    assert client.get("/staff/").status_code == 200
    # The set-up page cannot be used again to replace the secret.
    assert client.get("/staff/two-factor/set-up").headers["Location"].startswith("/staff/sign-in")


def test_a_wrong_or_replayed_code_is_refused_and_counts_towards_the_lockout(
    client, make_client
) -> None:
    iro = factories.staff(factories.authority())
    db.session.commit()
    code = next_code(iro.email)
    _password(client, iro.email)
    assert client.submit("/staff/sign-in/code", {"code": code}).status_code == 302
    # Someone who saw that code (and the password) cannot use it again.
    other = make_client()
    _password(other, iro.email)
    replayed = other.submit("/staff/sign-in/code", {"code": code})
    assert replayed.status_code == 200 and "already used" in replayed.text
    assert "<title>Error:" in replayed.text
    assert db.session.get(StaffUser, iro.id).failed_sign_ins == 1
    for typed in ["12345x", "", "٠٠٠٠٠٠", "1" * 40, "\u202e123456"]:
        other.submit("/staff/sign-in/code", {"code": typed})
    failures = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.TWO_FACTOR_FAILED)
    ).all()
    assert len(failures) >= 4


def test_ten_failures_across_both_steps_lock_the_account(client) -> None:
    iro = factories.staff(factories.authority())
    db.session.commit()
    _password(client, iro.email)
    for _ in range(9):
        client.submit("/staff/sign-in/code", {"code": "000000"}, from_url="/staff/sign-in/code")
    last = client.post(
        "/staff/sign-in/code",
        data={"code": "000000", "csrf_token": client.csrf_token("/staff/sign-in/code")},
    )
    assert last.headers["Location"].startswith("/staff/sign-in")
    locked = staff_signs_in(client, iro.email)
    assert "This account is locked" in locked.text


def test_a_recovery_code_signs_in_once(client, make_client) -> None:
    from flask import current_app

    from portal.data import two_factor as two_factor_data

    iro = factories.staff(factories.authority())
    codes = two_factor_data.renew_recovery_codes(iro, current_app.config["SECRET_KEY"])
    db.session.commit()
    _password(client, iro.email)
    used = client.submit("/staff/sign-in/code", {"code": codes[3].lower()})
    assert used.headers["Location"] == "/staff/two-factor?recovered=1"
    page = client.get(used.headers["Location"]).text
    assert "You signed in with a recovery code" in page and "9 recovery codes left" in page
    again = make_client()
    _password(again, iro.email)
    assert "not right" in again.submit("/staff/sign-in/code", {"code": codes[3]}).text


def test_new_recovery_codes_replace_the_old_ones(client) -> None:
    from flask import current_app

    from portal.data import two_factor as two_factor_data

    iro = factories.staff(factories.authority())
    old = two_factor_data.renew_recovery_codes(iro, current_app.config["SECRET_KEY"])
    db.session.commit()
    staff_signs_in(client, iro.email)
    renewed = client.submit("/staff/two-factor/recovery-codes", {}, from_url="/staff/two-factor")
    new = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", renewed.text)
    assert len(new) == 10 and not set(new) & set(old)
    key = current_app.config["SECRET_KEY"]
    digests = set(db.session.scalars(select(RecoveryCode.code_digest)))
    assert digests == {two_factor.recovery_code_digest(c, key) for c in new}


def test_the_second_step_expires_after_five_minutes(client) -> None:
    iro = factories.staff(factories.authority())
    db.session.commit()
    _password(client, iro.email)
    with client.session_transaction() as session:
        passed = dict(session["staff_password_passed"])
        passed["at"] -= 301
        session["staff_password_passed"] = passed
    expired = client.get("/staff/sign-in/code")
    assert expired.headers["Location"] == "/staff/sign-in?reason=second-step-expired"
    assert "more than 5 minutes" in client.get(expired.headers["Location"]).text


def test_a_disabled_account_cannot_finish_signing_in(client) -> None:
    iro = factories.staff(factories.authority())
    db.session.commit()
    _password(client, iro.email)
    db.session.get(StaffUser, iro.id).active = False
    db.session.commit()
    code = client.get("/staff/sign-in/code")
    assert code.headers["Location"].startswith("/staff/sign-in")
    assert client.get("/staff/").headers["Location"].startswith("/staff/sign-in")
