"""Steps people take, shared by tests."""

from __future__ import annotations

from portal.data.invitations import IssuedInvitation
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


def staff_signs_in(client: AuditingClient, email: str, password: str = STAFF_PASSWORD):  # type: ignore[no-untyped-def]
    return client.submit("/staff/sign-in", {"email": email, "password": password})
