"""Every page, in English, Arabic and Tigrinya, on a 320px phone: axe finds nothing,
nothing scrolls sideways, right-to-left pages are mirrored."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.extensions import db
from portal.models import utcnow
from tests import factories
from tests.browser.conftest import (
    check_page,
    child_opens_invitation,
    press_and_follow,
    tab_to,
    translator,
)
from tests.journeys import next_code

LANGUAGES = {"en_GB": ("ltr", "en-GB"), "ar": ("rtl", "ar"), "ti": ("ltr", "ti")}


def _use_language(page: Page, base: str, language: str) -> None:
    page.goto(f"{base}/language/{language}?next=/sign-in")


@pytest.mark.browser
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_sign_in_pages_and_their_errors(phone, live_server: str, language: str) -> None:
    direction, tag = LANGUAGES[language]
    t = translator(language)
    la, iro, kid, review, issued = factories.world(age=6)
    expired = factories.invitation(review, valid_for=timedelta(days=-1))
    locked = factories.invitation(review)
    locked.invitation.locked_at = utcnow()
    db.session.commit()
    page = phone()
    _use_language(page, live_server, language)
    check_page(page, direction=direction, lang=tag)

    tab_to(page, page.get_by_label(t("Your code"), exact=True))
    page.keyboard.type("AAA-AAA-AAA")
    press_and_follow(page)
    expect(page.get_by_role("alert")).to_contain_text(
        t("We could not find that code. Check it and try again.")
    )
    assert page.title().startswith(t("Error:"))
    check_page(page, direction=direction, lang=tag)

    for path, heading in (
        (f"/i/{expired.link_token}", "This invitation has ended"),
        (f"/i/{locked.link_token}", "Your invitation is locked"),
        ("/i/nonsense", "We do not recognise that link"),
        ("/signed-out", "You have signed out"),
        ("/no-such-page", "Page not found"),
    ):
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(t(heading))
        check_page(page, direction=direction, lang=tag)

    # The youngest children's pictures page, and entering a secret on a return visit.
    page.goto(f"{live_server}/i/{issued.link_token}")
    page.get_by_label(t("Choose a PIN or a secret word"), exact=True).fill("4821")
    page.get_by_label(t("Type it again"), exact=True).fill("4821")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Continue")).click()
    check_page(page, direction=direction, lang=tag)
    page.get_by_role("button", name=t("Save and continue")).click()  # required: an error
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text(t("Choose who is helping you"))
    check_page(page, direction=direction, lang=tag)
    page.get_by_role("radio", name=t("My carer"), exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save and continue")).click()
    assert page.locator("img.face").count() == 5
    check_page(page, direction=direction, lang=tag)

    other = phone()
    _use_language(other, live_server, language)
    other.get_by_label(t("Your code"), exact=True).fill(issued.code)
    with other.expect_navigation():
        other.get_by_role("button", name=t("Continue")).click()
    expect(other.get_by_role("heading", level=1)).to_have_text(t("Enter your PIN or secret word"))
    check_page(other, direction=direction, lang=tag)
    other.get_by_label(t("Your PIN or secret word"), exact=True).fill("0000")
    with other.expect_navigation():
        other.get_by_role("button", name=t("Sign in")).click()
    check_page(other, direction=direction, lang=tag)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_staff_pages(phone, live_server: str, language: str) -> None:
    direction, tag = LANGUAGES[language]
    t = translator(language)
    la, iro, kid, review, issued = factories.world()
    child = phone()
    child_opens_invitation(child, live_server, issued.link_token)
    cid = re.search(r"/consultation/(\d+)/", child.url).group(1)  # type: ignore[union-attr]
    child.goto(f"{live_server}/consultation/{cid}/home")
    child.get_by_role("radio", name="No, I do not feel safe", exact=True).check()
    with child.expect_navigation():
        child.get_by_role("button", name="Save and continue").click()

    page = phone()
    page.goto(f"{live_server}/language/{language}?next=/staff/sign-in")
    check_page(page, direction=direction, lang=tag)
    page.get_by_label(t("Email address"), exact=True).fill(iro.email)
    page.get_by_label(t("Password"), exact=True).fill("wrong")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Continue")).click()
    check_page(page, direction=direction, lang=tag)
    page.get_by_label(t("Password"), exact=True).fill(factories.STAFF_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Continue")).click()
    check_page(page, direction=direction, lang=tag)
    page.get_by_label(t("Code from your authenticator app"), exact=True).fill(next_code(iro.email))
    with page.expect_navigation():
        page.get_by_role("button", name=t("Sign in")).click()
    check_page(page, direction=direction, lang=tag)
    page.goto(f"{live_server}/staff/consultations/{cid}")
    check_page(page, direction=direction, lang=tag)
    page.get_by_role("button", name=t("Record what I did and clear the alert")).click()
    page.wait_for_load_state()
    check_page(page, direction=direction, lang=tag)


@pytest.mark.browser
def test_shift_three_times_leaves_and_back_shows_nothing(app, phone, live_server: str) -> None:
    *_, issued = factories.world()
    # No internet here: stand in for the neutral site with a page of our own.
    app.config["NEUTRAL_EXIT_URL"] = f"{live_server}/healthz"
    page = phone()
    page.goto(f"{live_server}/sign-in")
    child_opens_invitation(page, live_server, issued.link_token)
    consultation_url = page.url
    page.get_by_label("Where would you like the meeting to be?", exact=True).fill("half typed")
    try:
        with page.expect_navigation(url=re.compile(r"/healthz$")):
            for _ in range(3):
                page.keyboard.press("Shift")
    finally:
        del app.config["NEUTRAL_EXIT_URL"]
    page.go_back()
    page.wait_for_load_state()
    # The consultation page was replaced in history; anything we reach now is signed out.
    assert page.url != consultation_url
    assert "half typed" not in page.content()
    page.goto(consultation_url)
    assert "/sign-in" in page.url


@pytest.mark.browser
def test_idle_warning_lets_the_child_stay_signed_in(phone, live_server: str) -> None:
    *_, issued = factories.world()
    page = phone()
    page.clock.install()
    child_opens_invitation(page, live_server, issued.link_token)
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("18:01")
    expect(dialog).to_be_visible()
    stay = page.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    check_page(page, direction="ltr")
    with page.expect_response(re.compile(r"/session/keep-alive$")) as answered:
        page.keyboard.press("Enter")
    assert answered.value.status == 204
    expect(dialog).to_be_hidden()


@pytest.mark.browser
def test_a_double_tap_on_send_submits_once(phone, live_server: str) -> None:
    *_, issued = factories.world()
    page = phone()
    submits: list[str] = []
    page.on(
        "request",
        lambda r: (
            submits.append(r.url) if r.method == "POST" and r.url.endswith("/submit") else None
        ),
    )
    child_opens_invitation(page, live_server, issued.link_token)
    page.goto(page.url.rsplit("/", 1)[0] + "/check")
    send = page.get_by_role("button", name="Send to my IRO")
    send.evaluate("b => { b.form.requestSubmit(b); b.form.requestSubmit(b); }")
    page.wait_for_url(re.compile(r"/sent$"))
    assert len(submits) == 1
