"""Steps people take, shared by tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from portal.data.invitations import IssuedInvitation
from portal.domain import two_factor
from portal.extensions import db
from portal.models import StaffUser
from tests.conftest import AuditingClient
from tests.factories import STAFF_PASSWORD

SECRET = "4821"


def child_signs_in(client: AuditingClient, issued: IssuedInvitation, secret: str = SECRET) -> str:
    """First visit by the personal link; returns the first consultation page's path."""
    opened = client.get(f"/i/{issued.link_token}")
    assert opened.status_code == 302
    chose = client.submit("/sign-in/secret", {"secret": secret, "confirm": secret})
    assert chose.status_code == 302, chose.get_data(as_text=True)
    started = client.get("/consultation")
    assert started.status_code == 302
    return started.headers["Location"]


def child_returns(client: AuditingClient, code: str, secret: str = SECRET):  # type: ignore[no-untyped-def]
    entered = client.submit("/sign-in", {"code": code})
    assert entered.status_code == 302, entered.get_data(as_text=True)
    return client.submit("/sign-in/secret", {"secret": secret})


def next_code(email: str) -> str:
    """What the person's authenticator app shows: a code for a step not used yet."""
    staff = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
    assert staff is not None and staff.totp_secret is not None
    now = two_factor.step_at(datetime.now(UTC))
    last = staff.totp_last_step if staff.totp_last_step is not None else now - 2
    step = max(now - 1, last + 1)
    assert step <= now + 1, "signed in three times within 30 seconds: use another account"
    return two_factor.code_at(staff.totp_secret, step)


def staff_signs_in(client: AuditingClient, email: str, password: str = STAFF_PASSWORD):  # type: ignore[no-untyped-def]
    """Password, then the authenticator code. Returns the last response."""
    entered = client.submit("/staff/sign-in", {"email": email, "password": password})
    if entered.status_code != 302 or not entered.headers["Location"].endswith("/sign-in/code"):
        return entered
    return client.submit("/staff/sign-in/code", {"code": next_code(email)})
