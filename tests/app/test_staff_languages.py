"""Every staff page in Arabic and Tigrinya: right language, right direction, no English left.
(The test client's page audit fails on any catalogue sentence left in English.)"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from portal.extensions import db
from portal.models import ImportBatch, StaffRole
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_every_staff_page_reads_in_the_chosen_language(
    app: Flask, make_client, language: str
) -> None:
    la, iro, kid, review, issued = factories.world()
    manager = factories.staff(la, role=StaffRole.MANAGER)
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    locked = factories.invitation(review, name="Lee")
    locked.invitation.locked_at = locked.invitation.created_at
    batch = ImportBatch(
        local_authority_id=la.id,
        uploaded_by_id=manager.id,
        filename="x.csv",
        content="child_ref\n",
        content_digest="0" * 64,
        summary='{"encoding": "utf-8"}',
    )
    db.session.add(batch)
    db.session.commit()
    first = child_signs_in(make_client(), issued)
    ids = {
        "consultation_id": first.split("/")[2],
        "child_id": str(kid.id),
        "review_id": str(review.id),
        "invitation_id": str(issued.invitation.id),
        "staff_id": str(iro.id),
        "batch_id": str(batch.id),
    }
    pages = 0
    for person in (manager, admin):
        client = make_client()
        client.get(f"/language/{language}")
        client.expected_lang = language
        staff_signs_in(client, person.email)
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/staff") or "GET" not in (rule.methods or ()):
                continue
            if rule.rule.endswith(".csv") or rule.rule.endswith("/set-up"):
                continue
            url = re.sub(r"<id:(\w+)>", lambda m: ids[m.group(1)], rule.rule)
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                pages += 1
                assert f'lang="{language}"' in response.text
    assert pages >= 20
