"""Every route belongs to one audience, and each audience's guard keeps the others out.

The families side (children, parents, carers) and the staff side are separate URL
spaces with one guard each. This walks every route of each side as someone from the
other side, and as nobody: refused, nothing of the records shown, nothing changed.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from portal.extensions import db
from portal.models import StaffRole
from portal.web.people import is_open_to_anyone
from tests import factories
from tests.journeys import a_running_service, staff_signs_in
from tests.snapshots import authority_snapshot

AUDIENCES = ("families", "staff", "frame")
# The page frame's own routes, open to everyone: choosing a language, leaving quickly,
# keeping a session alive, health checks and static files.
FRAME_ENDPOINTS = {
    "static",
    "frame.choose_language",
    "frame.leave",
    "frame.keep_alive",
    "frame.health",
    "frame.ready",
}


def _routes(app: Flask, audience: str) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != audience:
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            found.append((rule.endpoint, rule.rule, method))
    return found


def test_every_route_belongs_to_one_audience(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        audience = rule.endpoint.split(".")[0]
        assert audience in AUDIENCES or rule.endpoint == "static", rule.endpoint
        if audience == "staff":
            assert rule.rule.startswith("/staff/"), rule.rule
        else:
            assert not rule.rule.startswith("/staff"), rule.rule
    frame = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if r.endpoint.split(".")[0] not in ("families", "staff")
    }
    # A frame route is open to everyone: a new one must be added here on purpose.
    assert frame <= FRAME_ENDPOINTS, frame - FRAME_ENDPOINTS


def test_only_sign_in_pages_are_open_before_signing_in(app: Flask) -> None:
    with app.test_request_context():
        open_pages = {
            endpoint
            for audience in ("families", "staff")
            for endpoint, _rule, _method in _routes(app, audience)
            if is_open_to_anyone(endpoint)
        }
    assert open_pages == {
        "families.sign_in.open_link",
        "families.sign_in.enter_code",
        "families.sign_in.secret",
        "families.sign_in.sign_out",
        "families.sign_in.signed_out",
        "families.sign_in.ask_for_link",
        "families.sign_in.link_sent",
        "families.sign_in.open_contact_link",
        "families.sign_in.use_link",
        "staff.sign_in.sign_in",
        "staff.sign_in.enter_code",
        "staff.sign_in.set_up_two_factor",
        "staff.sign_in.sign_out",
    }


def _token(client, page: str) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match, page
    return match.group(1)


def _walk(app: Flask, client, audience: str, service, token: str, refused_to: str) -> int:  # type: ignore[no-untyped-def]
    secrets = ("Zephyrine", "Secret meeting place", "Locked Lorcan", service.iro.email)
    walked = 0
    with app.test_request_context():
        routes = [r for r in _routes(app, audience) if not is_open_to_anyone(r[0])]
    for _endpoint, rule, method in routes:
        url = service.url(rule).replace("<step_key>", "home")
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, "meeting_where": "Planted"})
        body = response.get_data(as_text=True)
        assert response.status_code == 302, f"{method} {url}: {response.status_code}"
        assert response.headers["Location"].split("?")[0] == refused_to, (method, url)
        for secret in secrets:
            assert secret not in body, f"{method} {url} shows {secret!r}"
        walked += 1
    return walked


@pytest.mark.parametrize("visitor", ["anonymous", "child"])
def test_every_staff_route_refuses_anyone_but_staff(app: Flask, make_client, visitor: str) -> None:
    child_client = make_client()
    service = a_running_service(child_client, child_name="Zephyrine")
    child_client.submit(service.first_step, {"meeting_where": "Secret meeting place"})
    before = authority_snapshot(service.local_authority.id)
    if visitor == "child":
        client, token = child_client, _token(child_client, service.first_step)
    else:
        client = make_client()
        token = _token(client, "/sign-in")
    walked = _walk(app, client, "staff", service, token, "/staff/sign-in")
    assert walked > 30
    assert authority_snapshot(service.local_authority.id) == before


@pytest.mark.parametrize("role", list(StaffRole))
def test_every_families_route_refuses_staff(app: Flask, make_client, role: StaffRole) -> None:
    child_client = make_client()
    service = a_running_service(child_client, child_name="Zephyrine")
    child_client.submit(service.first_step, {"meeting_where": "Secret meeting place"})
    staff = factories.staff(service.local_authority, role=role)
    db.session.commit()
    client = make_client()
    staff_signs_in(client, staff.email)
    token = _token(client, "/staff/two-factor")
    before = authority_snapshot(service.local_authority.id)
    walked = _walk(app, client, "families", service, token, "/sign-in")
    assert walked >= 6
    assert authority_snapshot(service.local_authority.id) == before
    # Still signed in as staff: a stray family URL did not sign them out.
    assert client.get("/staff/two-factor").status_code == 200
