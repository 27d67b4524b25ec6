"""Every public page in every language offered, on a 320px phone: the right language and
direction, zero axe violations, no sideways scrolling, and no English sentence left.
One browser for all of them (the session's), one phone a language."""

from __future__ import annotations

import re

import pytest
from babel import Locale
from playwright.sync_api import Page

from portal.data import documents as document_data
from portal.domain import languages
from portal.extensions import db
from tests import factories
from tests.audit import audit_html
from tests.browser.conftest import check_page, translator

LANGUAGES = ["en_GB", *languages.TRANSLATED]


def _check(page: Page, code: str) -> None:
    direction = Locale.parse(code).text_direction
    tag = code.replace("_", "-")
    check_page(page, direction=direction, lang=tag)
    # The page audit the Flask-client tests run: no catalogue sentence left in English.
    audit_html(page.content(), expected_lang=tag)


@pytest.mark.browser
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_public_page_in_every_language(phone, live_server: str, code: str) -> None:
    t = translator(code)
    la = factories.authority()
    iro = factories.staff(la)
    kid, review = factories.child(la, iro, name="Zara", age=14, language=code)
    issued = factories.invitation(review, name="Zara", language=code)
    plan = document_data.start_plan(kid, review.planned_on)
    document_data.save_draft(
        plan,
        "## Where you live\nYou live with Pat.",
        seen_revision=0,
        staff=iro,
        for_parents=False,
        for_carers=False,
    )
    document_data.publish(plan, iro, reading_age=6, above_goal_confirmed=False)
    db.session.commit()
    page = phone()

    page.goto(f"{live_server}/language/{code}?next=/sign-in")
    _check(page, code)
    page.goto(f"{live_server}/sign-in/link")
    _check(page, code)
    page.goto(f"{live_server}/i/{issued.link_token}")
    _check(page, code)  # choose a PIN
    page.get_by_label(t("Choose a PIN or a secret word"), exact=True).fill("4821")
    page.get_by_label(t("Type it again"), exact=True).fill("4821")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Continue")).click()
    assert re.search(r"/consultation/\d+/\w+$", page.url), page.url
    _check(page, code)  # the first question page
    consultation = page.url.rsplit("/", 1)[0]
    page.goto(f"{consultation}/check")
    _check(page, code)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Send to my IRO")).click()
    _check(page, code)  # sent
    page.goto(f"{live_server}/your-plan-and-letters")
    _check(page, code)
    page.goto(f"{live_server}/read/{plan.id}")
    _check(page, code)
