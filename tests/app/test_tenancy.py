"""Nothing of one local authority reaches another: enforced once, for every query."""

from __future__ import annotations

import re

import pytest
from flask import Flask, g
from sqlalchemy import func, select, update

from portal.core.tenancy import TENANT_KEY
from portal.extensions import db
from portal.models import Child, Consultation, Invitation, LocalAuthority, StaffUser
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in


def test_queries_are_scoped_to_the_signed_in_authority_without_asking(
    app: Flask, make_client
) -> None:
    ours, *_ = factories.world()
    theirs, _their_iro, their_child, _review, their_invitation = factories.world()
    their_consultation = child_signs_in(make_client(), their_invitation)
    their_id = int(their_consultation.split("/")[2])

    their_child_id, our_id = their_child.id, ours.id
    with app.test_request_context():
        db.session.expunge_all()  # as a new request starts: nothing already loaded
        setattr(g, TENANT_KEY, our_id)
        # Plain queries, with no filter written: only our authority's records come back.
        assert {c.local_authority_id for c in db.session.scalars(select(Child))} == {our_id}
        assert db.session.get(Child, their_child_id) is None
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1
        assert [la.id for la in db.session.scalars(select(LocalAuthority))] == [our_id]
        assert db.session.scalar(select(Consultation).where(Consultation.id == their_id)) is None
        # Nor can an update reach across.
        changed = db.session.execute(
            update(Consultation)
            .where(Consultation.id == their_id)
            .values(form_key="x")
            .execution_options(synchronize_session=False)
        )
        assert changed.rowcount == 0
        db.session.rollback()
        staff = db.session.scalars(select(StaffUser)).all()
        assert {s.local_authority_id for s in staff} == {our_id}


def _staff_routes(app: Flask) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff."):
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            routes.append((rule.rule, method))
    return routes


def test_every_staff_route_is_known_to_this_test(app: Flask) -> None:
    # Adding a staff route means adding it here, so the walk below covers it.
    assert {rule for rule, _method in _staff_routes(app)} == {
        "/staff/sign-in",
        "/staff/sign-out",
        "/staff/",
        "/staff/consultations/<id:consultation_id>",
        "/staff/consultations/<id:consultation_id>/safety",
    }


@pytest.mark.parametrize("role", ["iro", "manager"])
def test_every_staff_route_as_another_authority_leaks_nothing(
    app: Flask, make_client, role: str
) -> None:
    from portal.models import StaffRole

    first, first_iro, first_child, _review, invitation = factories.world()
    first_child.preferred_name = "Zephyrine"
    db.session.commit()
    child = make_client()
    step = child_signs_in(child, invitation)
    consultation_id = step.split("/")[2]
    child.submit(step, {"meeting_where": "Secret meeting place"})
    child.submit(f"/consultation/{consultation_id}/home", {"feel_safe_home": "no"}, from_url=step)
    secrets = ("Zephyrine", "Secret meeting place", first.service_name, first_iro.display_name)

    other = factories.authority()
    outsider = factories.staff(other, role=StaffRole(role))
    db.session.commit()
    viewer = make_client()
    staff_signs_in(viewer, outsider.email)
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', viewer.get("/staff/").get_data(as_text=True)
    ).group(1)  # type: ignore[union-attr]

    for rule, method in _staff_routes(app):
        if rule == "/staff/sign-out":
            continue  # signing out would end the walk; it touches no records
        url = rule.replace("<id:consultation_id>", consultation_id)
        if method == "GET":
            response = viewer.get(url)
        else:
            response = viewer.post(url, data={"csrf_token": token, "action_taken": "x"})
        body = response.get_data(as_text=True)
        for secret in secrets:
            assert secret not in body, f"{method} {url} shows {secret!r}"
        if "<id:" in rule:
            assert response.status_code == 404, f"{method} {url}"
    # And nothing was changed: the concern is still open for the right IRO.
    from portal.models import SafetyConcern

    assert db.session.scalars(select(SafetyConcern)).one().cleared_at is None
