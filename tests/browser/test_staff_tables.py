"""Staff tables on a 320px phone, in English and Arabic: each row is a card, each cell on
its own line under its column's label, so nothing needs sideways scrolling and nothing is
cut off; screen readers still get a table; a wide screen still gets the table."""

from __future__ import annotations

from datetime import time

import pytest
from playwright.sync_api import Page

from portal.extensions import db
from tests import factories
from tests.browser.conftest import STAFF_LANGUAGES, in_language
from tests.journeys import a_running_service, next_code

LANGUAGES = list(STAFF_LANGUAGES)

# Every cell of every table on the page: where it is, and whether its content fits.
CELLS = """() => [...document.querySelectorAll("main table")].flatMap((table) =>
  [...table.querySelectorAll("tbody th, tbody td")].map((cell) => {
    const box = cell.getBoundingClientRect();
    return {
      text: cell.innerText.trim().slice(0, 40),
      left: box.left,
      right: box.right,
      clipped: cell.scrollWidth > cell.clientWidth,
      wrapperScrolls: table.parentElement.scrollWidth > table.parentElement.clientWidth,
    };
  }))"""
# The label a cell shows before its content on a narrow screen.
LABEL = """(cell) => getComputedStyle(cell, "::before").content"""


def _sign_in(page: Page, base: str, language: str, email: str, t) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/language/{language}?next=/staff/sign-in")
    page.get_by_label(t("Email address"), exact=True).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(factories.STAFF_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Continue")).click()
    page.get_by_label(t("Code from your authenticator app"), exact=True).fill(next_code(email))
    with page.expect_navigation():
        page.get_by_role("button", name=t("Sign in")).click()


def _fits_a_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    cells = page.evaluate(CELLS)
    assert cells, f"{page.url} has no table rows"
    for cell in cells:
        assert not cell["clipped"], f"{page.url}: cell cut off: {cell}"
        assert cell["left"] >= 0 and cell["right"] <= 320, f"{page.url}: off screen: {cell}"
        assert not cell["wrapperScrolls"], f"{page.url}: the table scrolls sideways: {cell}"


def _still_a_table_for_screen_readers(page: Page, header: str) -> None:
    """Chromium's own accessibility tree, as a screen reader gets it."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    roles = [(n.get("role", {}).get("value"), n.get("name", {}).get("value")) for n in nodes]
    found = {role for role, _name in roles}
    assert {"table", "row", "columnheader"} <= found, found
    assert "cell" in found or "gridcell" in found, found
    assert ("columnheader", header) in roles


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_tables_are_cards_on_a_phone(
    phone, live_server: str, make_client, language: str
) -> None:
    t, check = in_language(language)
    child = make_client()
    service = a_running_service(child, child_name="Robin Okonkwo-Fitzgerald")
    service.review.planned_time = time(16, 0)
    other_iro = factories.staff(service.local_authority, name="Chris Amadi-Whitfield")
    factories.child(service.local_authority, other_iro, name="أمير عبد الرحمن")
    factories.child(service.local_authority, service.iro, name="Jess", review_in_days=200)
    db.session.commit()
    # The child says they do not feel safe: the caseload flags them.
    child.submit(
        f"/consultation/{service.consultation_id}/home",
        {"feel_safe_home": "no"},
        from_url=service.first_step,
    )
    # Each page, and a column header a screen reader must still find in its table.
    pages = {
        service.iro.email: {"/staff/": "Views", f"/staff/reviews/{service.review.id}": "Who"},
        service.manager.email: {"/staff/": "Views", "/staff/audit/": "When"},
    }
    for email, paths in pages.items():
        page = phone()
        _sign_in(page, live_server, language, email, t)
        for path, header in paths.items():
            page.goto(f"{live_server}{path}")
            check(page)  # direction, nothing sideways, axe finds nothing
            _fits_a_phone(page)
            _still_a_table_for_screen_readers(page, t(header))

            if path != "/staff/":
                continue
            # The Views column is on screen in every card, under its translated label.
            views = page.locator(f'main td[data-label="{t("Views")}"]')
            assert views.count() >= 2
            for cell in views.all():
                assert cell.is_visible()
                box = cell.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
                assert t("Views") in cell.evaluate(LABEL)
            assert page.get_by_text("16:00").first.is_visible()
            # The safety alert is a box of its own, unlike the status tags beside it.
            flag = page.locator("main .safety-flag")
            assert flag.inner_text() == t("May not be safe")
            tag = page.locator("main .tag").first
            flag_style = flag.evaluate("(el) => getComputedStyle(el).borderTopWidth")
            assert flag_style != tag.evaluate("(el) => getComputedStyle(el).borderTopWidth")

        # On a wide screen the same page is an ordinary table.
        page.set_viewport_size({"width": 1024, "height": 768})
        page.goto(f"{live_server}/staff/")
        assert page.locator("main thead th").first.is_visible()
        display = page.locator("main tbody tr").first.evaluate(
            "(el) => getComputedStyle(el).display"
        )
        assert display == "table-row"
        check(page)
