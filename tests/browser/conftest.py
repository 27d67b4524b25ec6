"""Real Chromium against the portal served from a thread. Locally these skip when
Chromium is missing; in CI (CI=true) a missing browser is a failure."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.support import Translations
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import IN_CI
from tests.factories import STAFF_PASSWORD
from tests.journeys import next_code

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 320, "height": 640}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        reason = "Chromium is not installed (apt-get install chromium fonts-noto-core)"
        if IN_CI:
            pytest.fail(f"{reason}: browser tests must run in CI")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def phone(browser: Browser, database: None) -> Iterator[Callable[..., Page]]:
    """A 320px-wide phone. With javascript=False our script is blocked, so the page is
    what a browser without JavaScript gets (Playwright itself still drives it)."""
    contexts: list[BrowserContext] = []

    def open_phone(*, javascript: bool = True, width: int = PHONE["width"]) -> Page:
        context = browser.new_context(viewport={"width": width, "height": PHONE["height"]})
        if not javascript:
            context.route("**/static/js/**", lambda route: route.abort())
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def translator(language: str) -> Callable[[str], str]:
    if language.startswith("en"):
        return lambda text: text
    return Translations.load(str(TRANSLATIONS), [language]).gettext


# Staff pages are checked in a left-to-right and a right-to-left language.
STAFF_LANGUAGES = {"en_GB": ("ltr", "en-GB"), "ar": ("rtl", "ar")}


def in_language(language: str) -> tuple[Callable[[str], str], Callable[[Page], None]]:
    """The language's translator, and the check every page in it must pass."""
    direction, tag = STAFF_LANGUAGES[language]

    def check(page: Page) -> None:
        check_page(page, direction=direction, lang=tag)

    return translator(language), check


def check_page(page: Page, *, direction: str, lang: str | None = None) -> None:
    """What every page must be, at any width and in any language."""
    html = page.locator("html")
    assert html.get_attribute("dir") == direction
    if lang:
        assert html.get_attribute("lang") == lang
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until the target has focus, as a keyboard user would."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
    raise AssertionError(f"could not reach {target} with the Tab key")


def choose(page: Page, group_first: Locator, option: Locator) -> None:
    """Pick a radio option by keyboard: Tab into the group, then arrow keys."""
    tab_to(page, group_first)
    page.keyboard.press("Space")
    for _ in range(10):
        if option.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {option} with arrow keys")


def press_and_follow(page: Page, key: str = "Enter") -> None:
    """Press a key that submits or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("load")


def child_opens_invitation(page: Page, base: str, token: str, secret: str = "4821") -> None:
    """First visit by the personal link, choosing a PIN: ends on the first step."""
    page.goto(f"{base}/i/{token}")
    page.get_by_label("Choose a PIN or a secret word", exact=True).fill(secret)
    page.get_by_label("Type it again", exact=True).fill(secret)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def type_into(page: Page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    tab_to(page, field)
    page.keyboard.type(text)


def follow(page: Page, target: Locator, check: Callable[[Page], None]) -> None:
    """Tab to a link or button, press Enter, and check the page it leads to."""
    tab_to(page, target)
    press_and_follow(page)
    check(page)


def sign_in_by_keyboard(
    page: Page,
    base: str,
    email: str,
    t: Callable[[str], str],
    check: Callable[[Page], None],
    *,
    wrong_code_first: bool = True,
) -> None:
    """Password, then the authenticator code (after a wrong one, to see its error)."""
    page.goto(f"{base}/staff/sign-in")
    check(page)
    type_into(page, t("Email address"), email)
    type_into(page, t("Password"), STAFF_PASSWORD)
    press_and_follow(page)
    check(page)
    code_label = t("Code from your authenticator app")
    if wrong_code_first:
        type_into(page, code_label, "000000")
        press_and_follow(page)
        check(page)
        assert page.locator(".error-summary").is_visible()
        page.get_by_label(code_label, exact=True).fill("")
    type_into(page, code_label, next_code(email))
    press_and_follow(page)


def sign_in_in_language(
    page: Page,
    base: str,
    language: str,
    email: str,
    t: Callable[[str], str],
    check: Callable[[Page], None],
    *,
    wrong_code_first: bool = True,
) -> None:
    """Choose the staff member's language, then sign in by keyboard."""
    page.goto(f"{base}/language/{language}?next=/staff/sign-in")
    sign_in_by_keyboard(page, base, email, t, check, wrong_code_first=wrong_code_first)


ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def type_date(page: Page, question: str, day: date, *, arabic_digits: bool = False) -> None:
    """Type a date into the Day, Month and Year boxes of the question (the fieldset's
    legend) by keyboard: Tab to Day, type, Tab, type, Tab, type. Whatever a box held is
    replaced. With ``arabic_digits`` the digits are typed in Arabic-Indic (٢٧ ٣ ٢٠٠٧)."""
    boxes = page.get_by_role("group", name=question, exact=True).get_by_role("textbox")
    assert boxes.count() == 3, question
    typed = [str(part) for part in (day.day, day.month, day.year)]
    if arabic_digits:
        typed = [text.translate(ARABIC_INDIC_DIGITS) for text in typed]
    tab_to(page, boxes.nth(0))
    for index, text in enumerate(typed):
        if index:
            page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
    assert [boxes.nth(index).input_value() for index in range(3)] == typed
