"""A new SECRET_KEY, with the old one in SECRET_KEY_FALLBACKS, locks nobody out: codes on
letters already sent, staff authenticators and recovery codes all keep working, and
`reseal-secrets` moves the stored authenticator keys to the new key."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import select, text

from portal import create_app
from portal.config import Settings
from portal.data import two_factor as two_factor_data
from portal.domain.sealing import SecretBox, UnreadableSecret
from portal.extensions import db
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.conftest import AuditingClient
from tests.journeys import next_code, staff_signs_in

NEW_KEY = "a-new-secret-key-for-this-service-after-rotation"


@pytest.fixture
def app_with(app: Flask) -> Iterator[Callable[[str, str], Flask]]:
    """Another instance of the service on the same database, with other keys."""
    made: list[Flask] = []

    def factory(key: str, fallbacks: str) -> Flask:
        environment = {
            **os.environ,
            "PORTAL_ENV": "test",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": key,
            "SECRET_KEY_FALLBACKS": fallbacks,
        }
        other = create_app(
            Settings.from_environment(environment),
            TESTING=True,
            ARGON2_PARAMETERS={"time_cost": 1, "memory_cost": 64},
        )
        other.test_client_class = AuditingClient
        made.append(other)
        return other

    yield factory
    for other in made:
        with other.app_context():
            db.engine.dispose()


def test_rotating_the_secret_key_with_the_old_one_as_a_fallback(
    app: Flask, database, app_with
) -> None:
    old_key = app.config["SECRET_KEY"]
    _, iro, _, _, issued = factories.world()
    db.session.commit()
    recovery = two_factor_data.renew_recovery_codes(iro, old_key)
    db.session.commit()

    rotated = app_with(NEW_KEY, old_key)
    child = rotated.test_client()
    assert child.submit("/sign-in", {"code": issued.code}).status_code == 302
    staff = rotated.test_client()
    assert staff_signs_in(staff, iro.email).headers["Location"] == "/staff/"
    by_recovery = rotated.test_client()
    by_recovery.submit("/staff/sign-in", {"email": iro.email, "password": factories.STAFF_PASSWORD})
    assert by_recovery.submit("/staff/sign-in/code", {"code": recovery[0]}).status_code == 302

    # From here this test's own app (the old key alone) cannot open the resealed key.
    email, iro_id = iro.email, iro.id
    db.session.expunge_all()
    with rotated.app_context():
        result = rotated.test_cli_runner().invoke(args=["reseal-secrets"])
    assert "Sealed 1 authenticator keys" in result.output, result.output
    sealed = db.session.scalar(
        text("SELECT totp_secret FROM staff_user WHERE id = :id"), {"id": iro_id}
    )
    assert SecretBox([NEW_KEY]).open(sealed) == factories.TOTP_SECRET
    with pytest.raises(UnreadableSecret):
        SecretBox([old_key]).open(sealed)

    # Once the old key is dropped, the resealed authenticator still works.
    settled = app_with(NEW_KEY, "")
    again = settled.test_client()
    with settled.app_context():
        code = next_code(email)
        db.session.remove()
    again.submit("/staff/sign-in", {"email": email, "password": factories.STAFF_PASSWORD})
    assert again.submit("/staff/sign-in/code", {"code": code}).headers["Location"] == "/staff/"


def test_without_the_old_key_old_codes_are_simply_not_found(app_with, database) -> None:
    *_, issued = factories.world()
    db.session.commit()
    stranger = app_with(NEW_KEY, "").test_client()
    refused = stranger.submit("/sign-in", {"code": issued.code})
    assert refused.status_code == 200 and "We could not find that code" in refused.text


def test_a_lost_key_stops_only_the_code_step_and_an_operator_can_reset_it(
    app_with, database
) -> None:
    la = factories.authority()
    iro = factories.staff(la, name="Kit Keyless")
    db.session.commit()
    email, iro_id = iro.email, iro.id
    db.session.expunge_all()  # this test's app could still open the key; the new one cannot
    keyless = app_with(NEW_KEY, "")
    staff = keyless.test_client()
    staff.submit("/staff/sign-in", {"email": email, "password": factories.STAFF_PASSWORD})
    stuck = staff.submit("/staff/sign-in/code", {"code": "123456"})
    assert stuck.status_code == 200
    assert "Your two-factor sign-in cannot be checked" in stuck.text

    with keyless.app_context():
        result = keyless.test_cli_runner().invoke(args=["reset-two-factor", email])
        db.session.remove()
    assert "will set up two-factor sign-in" in result.output, result.output
    again = staff.submit("/staff/sign-in", {"email": email, "password": factories.STAFF_PASSWORD})
    assert again.headers["Location"] == "/staff/two-factor/set-up"
    reset = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.RESET_TWO_FACTOR)
    ).one()
    assert (reset.subject_id, reset.staff_user_id, reset.from_address) == (
        iro_id,
        None,
        "command line",
    )


def test_a_recovery_code_made_with_the_new_key_works_when_the_authenticator_key_is_lost(
    app_with, database
) -> None:
    iro = factories.staff(factories.authority(), name="Rae Recovering")
    db.session.commit()
    recovery = two_factor_data.renew_recovery_codes(iro, NEW_KEY)
    db.session.commit()
    email = iro.email
    db.session.expunge_all()
    staff = app_with(NEW_KEY, "").test_client()
    staff.submit("/staff/sign-in", {"email": email, "password": factories.STAFF_PASSWORD})
    signed_in = staff.submit("/staff/sign-in/code", {"code": recovery[0]})
    assert signed_in.headers["Location"].startswith("/staff/two-factor")
