"""Every page of the staff workspace at 320px, in English and Arabic: axe finds nothing,
nothing scrolls sideways, and the direction is right."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.extensions import db
from tests import factories
from tests.browser.conftest import STAFF_LANGUAGES, in_language
from tests.journeys import a_running_service, next_code

LANGUAGES = list(STAFF_LANGUAGES)
# Whole HTML documents sent as attachments (a browser saves them rather than showing them).
DOWNLOADED_DOCUMENTS = {"/staff/children/<id:child_id>/everything"}
# An export with one good row and one with an impossible date, so the preview lists a problem.
EXPORT = (
    "child_ref,preferred_name,date_of_birth,came_into_care_on,iro_email,review_ref,"
    "review_type,review_date\r\n"
    "C1,Ada,2012-03-04,2024-01-02,{iro},R1,subsequent,2030-01-05\r\n"
    "C2,Bo,31/02/2013,2024-01-02,{iro},R2,subsequent,2030-01-05\r\n"
)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_staff_page_passes_axe_on_a_phone(
    app: Flask, phone, live_server: str, make_client, language: str
) -> None:
    t, check = in_language(language)
    service = a_running_service(make_client())
    service.batch.content = EXPORT.format(iro=service.iro.email)
    db.session.commit()
    checked = set()
    for person in (service.manager, service.administrator):
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
            url = service.url(rule.rule)
            if rule.rule in DOWNLOADED_DOCUMENTS:
                # A file to keep, not a page: open what was downloaded, as its reader will.
                download = page.request.get(f"{live_server}{url}")
                if download.status == 200:
                    assert download.headers["content-disposition"].startswith("attachment;")
                    page.goto("about:blank")  # as from a disk: no page's policy around it
                    page.set_content(download.text())
                    check(page)
                    checked.add(rule.rule)
                continue
            response = page.goto(f"{live_server}{url}")
            assert response is not None
            if response.status == 200 and "text/html" in response.headers["content-type"]:
                check(page)
                checked.add(rule.rule)
        # Error states (each form sent empty) and the page that shows a new password once.
        forms = [
            ("/staff/admin/accounts/new", {}),
            ("/staff/admin/settings", {"service_name": ""}),
            (f"/staff/reviews/{service.review.id}/invite", {}),
            (
                "/staff/admin/accounts/new",
                {"name": "Sam Hill", "email": "sam.hill@example.org", "phone": "01632 960 999"},
            ),
        ]
        for form_page, fields in forms:
            response = page.goto(f"{live_server}{form_page}")
            if response is None or response.status != 200:
                continue
            form = page.locator("main form[method=post]").first
            for name in fields:
                form.locator(f"[name={name}]").fill("")
            for name, value in fields.items():
                form.locator(f"[name={name}]").fill(value)
            if "email" in fields:
                form.locator("input[name=role][value=iro]").check()
            with page.expect_navigation():
                form.locator("button[type=submit]").first.click()
            check(page)
    assert "Sam Hill" in page.locator("main").inner_text()  # the account was made
    assert len(checked) >= 20, sorted(checked)
