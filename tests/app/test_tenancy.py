"""Nothing of one local authority reaches another: enforced once, for every query."""

from __future__ import annotations

import re
from typing import cast

import pytest
from flask import Flask
from sqlalchemy import Table, bindparam, func, select, update

from portal.data.tenant_scope import NoTenant, of_the_tenant, run_scoped
from portal.extensions import db
from portal.models import Child, Consultation, Invitation, LocalAuthority, StaffUser
from tests import factories
from tests.journeys import a_running_service, child_signs_in, staff_signs_in
from tests.snapshots import authority_snapshot


def test_queries_are_scoped_to_the_signed_in_authority_without_asking(
    app: Flask, make_client
) -> None:
    ours, *_ = factories.world()
    theirs, _their_iro, their_child, _review, their_invitation = factories.world()
    their_consultation = child_signs_in(make_client(), their_invitation)
    their_id = int(their_consultation.split("/")[2])

    their_child_id, our_id = their_child.id, ours.id
    with app.test_request_context(), factories.in_authority(our_id):
        db.session.expunge_all()  # as a new request starts: nothing already loaded
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


# The statements that run as plain SQL, out of the ORM's sight (portal.data.tenant_scope).
_CONSULTATIONS = cast(Table, Consultation.__table__)
_MOVE = (
    update(_CONSULTATIONS)
    .where(_CONSULTATIONS.c.id == bindparam("consultation_id"))
    .where(of_the_tenant(_CONSULTATIONS))
    .values(current_step="moved")
)


def test_plain_sql_statements_reach_only_the_signed_in_authoritys_rows(
    app: Flask, make_client
) -> None:
    ours, _iro, _kid, _review, our_invitation = factories.world()
    _theirs, _their_iro, _their_kid, _their_review, their_invitation = factories.world()
    ids = {
        name: int(child_signs_in(make_client(), issued).split("/")[2])
        for name, issued in (("ours", our_invitation), ("theirs", their_invitation))
    }
    with app.test_request_context(), factories.in_authority(ours.id):
        assert run_scoped(_MOVE, {"consultation_id": ids["theirs"]}).rowcount == 0
        assert run_scoped(_MOVE, {"consultation_id": ids["ours"]}).rowcount == 1
        db.session.commit()
    steps = dict(db.session.execute(select(Consultation.id, Consultation.current_step)).all())
    assert steps[ids["ours"]] == "moved"
    assert steps[ids["theirs"]] != "moved"


def test_a_plain_sql_statement_never_runs_unscoped(app: Flask) -> None:
    with app.test_request_context():
        # Nobody signed in: refused, rather than run across every authority.
        with pytest.raises(NoTenant):
            run_scoped(_MOVE, {"consultation_id": 1})
        # A statement built without the authority's condition: refused too.
        unscoped = update(_CONSULTATIONS).values(current_step="moved")
        with factories.in_authority(1), pytest.raises(ValueError, match=":tenant"):
            run_scoped(unscoped, {})


def _staff_routes(app: Flask) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff"):
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            routes.append((rule.rule, method))
    return routes


# Every kind of record id a staff URL can carry, and which of the first authority's
# records the walk below aims it at. A new kind of id must be added here.
RECORD_PARAMETERS = {
    "consultation_id",
    "child_id",
    "review_id",
    "invitation_id",
    "staff_id",
    "batch_id",
    "document_id",
}
# Pages anyone may reach before signing in, and signing out (it would end the walk).
NOT_WALKED = {"/staff/sign-out"}


def test_every_record_id_in_a_staff_url_is_known_to_the_walk(app: Flask) -> None:
    parameters = {
        name for rule, _method in _staff_routes(app) for name in re.findall(r"<id:(\w+)>", rule)
    }
    assert parameters <= RECORD_PARAMETERS, parameters - RECORD_PARAMETERS
    assert all("<" not in rule or "<id:" in rule for rule, _ in _staff_routes(app))


@pytest.mark.parametrize("role", ["iro", "manager", "administrator"])
def test_every_staff_route_as_another_authority_leaks_nothing(
    app: Flask, make_client, role: str
) -> None:
    from portal.models import AuditAction, AuditEvent, SafetyConcern, StaffRole

    child = make_client()
    service = a_running_service(
        child, child_name="Zephyrine", batch_content="child_ref\nZephyrine-file"
    )
    first, first_iro, step = service.local_authority, service.iro, service.first_step
    child.submit(step, {"meeting_where": "Secret meeting place"})
    child.submit(
        f"/consultation/{service.consultation_id}/home", {"feel_safe_home": "no"}, from_url=step
    )
    secrets = (
        "Zephyrine",
        "Secret meeting place",
        "Locked Lorcan",
        first.service_name,
        first_iro.display_name,
        first_iro.email,
    )
    before = authority_snapshot(first.id)

    other = factories.authority()
    outsider = factories.staff(other, role=StaffRole(role))
    db.session.commit()
    viewer = make_client()
    staff_signs_in(viewer, outsider.email)
    token = re.search(
        r'name="csrf_token" value="([^"]+)"',
        viewer.get("/staff/two-factor").get_data(as_text=True),
    ).group(1)  # type: ignore[union-attr]
    # Plausible answers for every form a staff route takes, so a POST is not refused
    # merely for being empty.
    form = {
        "csrf_token": token,
        "action_taken": "x",
        "status": "cancelled",
        "reason": "x",
        "preferred_name": "Intruder",
        "date_of_birth": "2012-01-01",
        "came_into_care_on": "2020-01-01",
        "preferred_language": "en_GB",
        "kind": "additional",
        "planned_on": "2030-01-01",
        "role": "child",
        "invitee_name": "Intruder",
        "name": "Intruder",
        "language": "en_GB",
        "channel": "letter",
        "away": "y",
    }

    walked = 0
    for rule, method in _staff_routes(app):
        if rule in NOT_WALKED:
            continue
        url = service.url(rule, invitation=service.locked_invitation)
        response = viewer.get(url) if method == "GET" else viewer.post(url, data=form)
        body = response.get_data(as_text=True)
        for secret in secrets:
            assert secret not in body, f"{method} {url} shows {secret!r}"
        if "<id:" in rule:
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        walked += 1
    assert walked > 30
    # Nothing of the first authority changed, and its concern is still open.
    assert authority_snapshot(first.id) == before
    assert db.session.scalars(select(SafetyConcern)).one().cleared_at is None
    # Each refusal is in the audit trail, in the outsider's own authority.
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DENIED)
    ).all()
    assert denied and all(e.local_authority_id == other.id for e in denied)
