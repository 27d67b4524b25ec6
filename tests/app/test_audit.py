"""Staff actions on children's records leave a trail: who, what, when, from where."""

from __future__ import annotations

from sqlalchemy import select

from portal.data import audit
from portal.extensions import db
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in


def test_opening_a_consultation_and_acting_on_a_concern_are_recorded(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world()
    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    child.submit(f"/consultation/{cid}/home", {"feel_safe_home": "no"}, from_url=first)

    staff_signs_in(client, iro.email)
    client.get(f"/staff/consultations/{cid}")
    client.submit(
        f"/staff/consultations/{cid}/safety",
        {"action_taken": "Visited today"},
        from_url=f"/staff/consultations/{cid}",
    )
    events = audit.events_for(iro, subject_type="consultation", subject_id=cid)
    assert [e.action for e in events] == [
        AuditAction.VIEWED_CONSULTATION,
        AuditAction.VIEWED_CONSULTATION,  # opened again before submitting the form
        AuditAction.CLEARED_SAFETY_CONCERN,
    ]
    assert all(e.staff_user_id == iro.id and e.from_address == "127.0.0.1" for e in events)
    assert all(e.at is not None for e in events)


def test_sign_ins_and_failures_are_recorded(client) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    db.session.commit()
    staff_signs_in(client, iro.email, "wrong")
    staff_signs_in(client, iro.email)
    actions = [e.action for e in audit.events_for(iro)]
    assert actions == [AuditAction.SIGN_IN_FAILED, AuditAction.SIGNED_IN]


def test_guessing_another_authoritys_record_is_refused_and_recorded(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world()
    first = child_signs_in(make_client(), issued)
    cid = int(first.split("/")[2])
    other = factories.authority()
    outsider = factories.staff(other)
    db.session.commit()
    staff_signs_in(client, outsider.email)
    assert client.get(f"/staff/consultations/{cid}").status_code == 404
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DENIED)
    ).one()
    assert denied.staff_user_id == outsider.id
    assert denied.local_authority_id == other.id
    assert (denied.subject_type, denied.subject_id) == ("consultation", cid)
    # The first authority's trail shows nothing of the outsider.
    assert all(e.staff_user_id != outsider.id for e in audit.events_for(iro))


def test_no_route_can_change_or_delete_the_trail(app) -> None:
    for rule in app.url_map.iter_rules():
        assert "audit" not in rule.rule or not ({"PUT", "PATCH", "DELETE", "POST"} & rule.methods)
