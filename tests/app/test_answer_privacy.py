"""Nobody in the family sees anyone else's answers.

Parents may be separated and in conflict; a child may write about either of them; a
carer's views may be about the parents. So a parent never sees the child's, a carer's
or the other parent's answers, a carer never sees the parents' (nor the child's, unless
the child is under 8 and they are helping them: tests/app/test_helping.py), and a child
never sees a grown-up's. Every consultation URL of every other person, by every method
it takes, is not found, shows nothing of theirs and changes nothing.

Refusals on the family side are not written to the audit trail (that trail is of staff
actions); the 404 is the same whether the consultation exists or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditAction, AuditEvent, Consultation, InviteeRole
from portal.questionnaires.declarations import form_version
from tests import factories
from tests.conftest import AuditingClient
from tests.journeys import child_signs_in
from tests.snapshots import authority_snapshot


@dataclass
class Person:
    role: str
    client: AuditingClient
    consultation_id: int
    invitation_id: int
    secret: str
    token: str = ""


# Everyone invited for one review: the child (10, so nobody helps them), both parents
# (separated), the child's carer, their designated teacher and their nurse.
PEOPLE = {
    "child": (InviteeRole.CHILD, "Zephyrine", None),
    "parent": (InviteeRole.PARENT, "Morgan", None),
    "other parent": (InviteeRole.PARENT, "Alex", None),
    "carer": (InviteeRole.CARER, "Pat", None),
    "teacher": (InviteeRole.PROFESSIONAL, "Ms Teach", "education"),
    "nurse": (InviteeRole.PROFESSIONAL, "Nurse Heal", "health"),
}


@pytest.fixture
def family(make_client) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, age=10, name="Zephyrine")
    invited = {
        who: factories.invitation(review, role=role, name=name, professional_kind=kind)
        for who, (role, name, kind) in PEOPLE.items()
    }
    db.session.commit()
    people = {}
    for who, issued in invited.items():
        client = make_client()
        first = child_signs_in(client, issued)
        cid = int(first.split("/")[2])
        secret = f"Only {who.replace(' ', '-')} wrote this"
        client.submit(f"/consultation/{cid}/your_views", {"working_well": secret}, from_url=first)
        people[who] = Person(issued.invitation.role, client, cid, issued.invitation.id, secret)
    # The carer has sent theirs, so their confirmation page exists too.
    carer = people["carer"]
    carer.client.submit(
        f"/consultation/{carer.consultation_id}/submit",
        {},
        from_url=f"/consultation/{carer.consultation_id}/check",
    )
    for person in people.values():
        person.token = person.client.csrf_token("/consultation", follow_redirects=True)
    return people


def _consultation_urls(app: Flask, consultation_id: int) -> list[tuple[str, str]]:
    """Every families URL naming a consultation, by every method it takes; a step URL
    for each step of that consultation's form."""
    consultation = db.session.get(Consultation, consultation_id)
    steps = [s.key for s in form_version(consultation.form_key, consultation.form_version).steps]
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("families.") or "<id:consultation_id>" not in rule.rule:
            continue
        path = rule.rule.replace("<id:consultation_id>", str(consultation_id))
        paths = (
            [path.replace("<step_key>", key) for key in steps] if "<step_key>" in path else [path]
        )
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            urls.extend((method, p) for p in paths)
    return urls


PAIRS = [(viewer, owner) for viewer in PEOPLE for owner in PEOPLE if viewer != owner]


@pytest.mark.parametrize(("viewer", "owner"), PAIRS, ids=[f"{v} → {o}" for v, o in PAIRS])
def test_nobody_opens_another_family_members_consultation(
    app: Flask, family: dict[str, Person], viewer: str, owner: str
) -> None:
    me, them = family[viewer], family[owner]
    authority_id = db.session.get(Consultation, them.consultation_id).local_authority_id
    before = authority_snapshot(authority_id)
    urls = _consultation_urls(app, them.consultation_id)
    # step (GET, POST), check, submit, sent, help-now, version, who-can-read (GET, POST)
    assert {path.rsplit("/", 1)[-1] for _m, path in urls} >= {
        "check",
        "submit",
        "sent",
        "help-now",
        "version",
        "who-can-read",
        "your_views",
    }
    for method, path in urls:
        if method == "GET":
            response = me.client.get(path)
        else:
            response = me.client.post(
                path,
                data={
                    "csrf_token": me.token,
                    "working_well": "Planted",
                    "working_well__audience": "meeting",
                    "form_key": "under_8",
                },
            )
        assert response.status_code == 404, f"{viewer} {method} {path}: {response.status_code}"
        assert them.secret not in response.text, f"{viewer} {method} {path}"
    # Nor can they start helping with anyone's form (only a carer, only a child under 8).
    help_them = me.client.get(f"/consultation/help/{them.invitation_id}")
    assert help_them.status_code == 404
    after = authority_snapshot(authority_id)
    # Nothing changed but the audit trail, which records every refusal, by whom.
    denied = after.pop("audit_event")
    assert before.pop("audit_event") == []
    assert after == before
    assert len(denied) == len(urls) + 1
    refused = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert {(e.action, e.staff_user_id) for e in refused} == {(AuditAction.DENIED, None)}
    assert {e.subject_id for e in refused if e.subject_type == "consultation"} == {
        them.consultation_id
    }
    assert {e.detail for e in refused} == {f"signed in with invitation {me.invitation_id}"}


@pytest.mark.parametrize("viewer", list(PEOPLE))
def test_each_persons_own_pages_show_their_answers_and_nobody_elses(
    family: dict[str, Person], viewer: str
) -> None:
    me = family[viewer]
    pages = [
        me.client.get("/consultation", follow_redirects=True).text,
        me.client.get(f"/consultation/{me.consultation_id}/check", follow_redirects=True).text,
        me.client.get(f"/consultation/{me.consultation_id}/your_views", follow_redirects=True).text,
    ]
    everything = "\n".join(pages)
    if viewer != "carer":  # the carer has sent theirs: their pages show the confirmation
        assert me.secret in everything
    for other, person in family.items():
        if other != viewer:
            assert person.secret not in everything
    # No link to anyone else's form: a child of 10 is helped by nobody.
    assert not re.search(r"/consultation/help/\d+", everything)
