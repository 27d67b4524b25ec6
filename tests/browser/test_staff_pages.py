"""Every page of the staff workspace at 320px, in English and Arabic: axe finds nothing,
nothing scrolls sideways, and the direction is right."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from portal.extensions import db
from portal.models import ImportBatch, StaffRole
from tests import factories
from tests.browser.conftest import check_page, translator
from tests.journeys import child_signs_in, next_code

LANGUAGES = {"en_GB": ("ltr", "en-GB"), "ar": ("rtl", "ar")}
# An export with one good row and one with an impossible date, so the preview lists a problem.
EXPORT = (
    "child_ref,preferred_name,date_of_birth,came_into_care_on,iro_email,review_ref,"
    "review_type,review_date\r\n"
    "C1,Ada,2012-03-04,2024-01-02,{iro},R1,subsequent,2030-01-05\r\n"
    "C2,Bo,31/02/2013,2024-01-02,{iro},R2,subsequent,2030-01-05\r\n"
)


@pytest.mark.browser
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_staff_page_passes_axe_on_a_phone(
    app: Flask, phone, live_server: str, make_client, language: str
) -> None:
    direction, tag = LANGUAGES[language]
    t = translator(language)
    la, iro, kid, review, issued = factories.world()
    manager = factories.staff(la, role=StaffRole.MANAGER)
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    locked = factories.invitation(review, name="Lee")
    locked.invitation.locked_at = locked.invitation.created_at
    batch = ImportBatch(
        local_authority_id=la.id,
        uploaded_by_id=manager.id,
        filename="export.csv",
        content=EXPORT.format(iro=iro.email),
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
    checked = set()
    for person in (manager, admin):
        page = phone()
        page.goto(f"{live_server}/language/{language}?next=/staff/sign-in")
        page.get_by_label(t("Email address"), exact=True).fill(person.email)
        page.get_by_label(t("Password"), exact=True).fill(factories.STAFF_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name=t("Continue")).click()
        page.get_by_label(t("Code from your authenticator app"), exact=True).fill(
            next_code(person.email)
        )
        with page.expect_navigation():
            page.get_by_role("button", name=t("Sign in")).click()
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/staff") or "GET" not in (rule.methods or ()):
                continue
            if rule.rule.endswith(".csv") or rule.rule in ("/staff/sign-in", "/staff/sign-in/code"):
                continue
            if rule.rule == "/staff/two-factor/set-up" or rule.rule in checked:
                continue
            url = re.sub(r"<id:(\w+)>", lambda m: ids[m.group(1)], rule.rule)
            response = page.goto(f"{live_server}{url}")
            assert response is not None
            if response.status == 200 and "text/html" in response.headers["content-type"]:
                check_page(page, direction=direction, lang=tag)
                checked.add(rule.rule)
        # And the error state of a form each: submitting it empty.
        for form_page in ("/staff/admin/accounts/new", f"/staff/reviews/{review.id}/invite"):
            response = page.goto(f"{live_server}{form_page}")
            if response is not None and response.status == 200:
                with page.expect_navigation():
                    page.locator("main form[method=post] button[type=submit]").first.click()
                check_page(page, direction=direction, lang=tag)
    assert len(checked) >= 20, sorted(checked)
