"""A child's whole journey on a phone, by keyboard alone, then the IRO reads it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.extensions import db
from tests import factories
from tests.browser.conftest import check_page, choose, press_and_follow, tab_to, translator
from tests.journeys import next_code

MIXED = "أحب مدرستي and my football team ⚽ كثيراً"
PRIVATE = "Please call me after school 🙏"


def _save_and_continue(page: Page, t) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, page.get_by_role("button", name=t("Save and continue")))
    press_and_follow(page)


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_child_completes_consultation_by_keyboard_and_iro_reads_it(
    phone, live_server: str, language: str, javascript: bool
) -> None:
    t = translator(language)
    direction = "rtl" if language == "ar" else "ltr"
    lang_tag = language.replace("_", "-")
    la, iro, kid, review, issued = factories.world(age=15, language=language)
    page = phone(javascript=javascript)

    page.goto(f"{live_server}/i/{issued.link_token}")
    check_page(page, direction=direction, lang=lang_tag)
    tab_to(page, page.get_by_label(t("Choose a PIN or a secret word"), exact=True))
    page.keyboard.type("4821")
    tab_to(page, page.get_by_label(t("Type it again"), exact=True))
    page.keyboard.type("4821")
    press_and_follow(page)
    assert re.search(r"/consultation/\d+/meeting$", page.url)

    steps_seen = 0
    while "/check" not in page.url:
        steps_seen += 1
        assert steps_seen <= 14, "the journey should end at check your answers"
        check_page(page, direction=direction, lang=lang_tag)
        step = page.url.rsplit("/", 1)[-1]
        if step == "meeting":
            choose(
                page,
                page.get_by_role("radio", name=t("Yes, for all of it"), exact=True),
                page.get_by_role("radio", name=t("Yes, for part of it"), exact=True),
            )
            tab_to(
                page, page.get_by_label(t("Where would you like the meeting to be?"), exact=True)
            )
            page.keyboard.type("At school")
        elif step == "home":
            choose(
                page,
                page.get_by_role("radio", name=t("Really good"), exact=True),
                page.get_by_role("radio", name=t("Good"), exact=True),
            )
            if language == "ar":
                choose(
                    page,
                    page.get_by_role("radio", name=t("Yes, I feel safe"), exact=True),
                    page.get_by_role("radio", name=t("No, I do not feel safe"), exact=True),
                )
        elif step == "your_views":
            tab_to(page, page.get_by_label(t("What is working well for you?"), exact=True))
            page.keyboard.type(MIXED)
        elif step == "only_for_iro":
            tab_to(
                page,
                page.get_by_label(
                    t("Is there anything you want to tell only your IRO?"), exact=True
                ),
            )
            page.keyboard.type(PRIVATE)
        _save_and_continue(page, t)
        if "/help-now" in page.url:
            check_page(page, direction=direction, lang=lang_tag)
            expect(page.get_by_role("heading", level=1)).to_have_text(
                t("You said you do not feel safe")
            )
            expect(page.locator("main")).to_contain_text("999")
            expect(page.locator("main")).to_contain_text("0800 1111")
            tab_to(page, page.get_by_role("link", name=t("Continue")))
            press_and_follow(page)

    assert steps_seen == 12
    check_page(page, direction=direction, lang=lang_tag)
    main = page.locator("main")
    expect(main).to_contain_text(MIXED)
    expect(main).to_contain_text(t("Yes, for part of it"))
    tab_to(page, page.get_by_role("button", name=t("Send to my IRO")))
    press_and_follow(page)
    assert page.url.endswith("/sent")
    check_page(page, direction=direction, lang=lang_tag)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your answers have been sent"))

    # The IRO, on their own device, sees exactly what was typed.
    staff = phone(javascript=javascript, width=1024)
    staff.goto(f"{live_server}/staff/sign-in")
    tab_to(staff, staff.get_by_label("Email address"))
    staff.keyboard.type(iro.email)
    tab_to(staff, staff.get_by_label("Password"))
    staff.keyboard.type(factories.STAFF_PASSWORD)
    press_and_follow(staff)
    tab_to(staff, staff.get_by_label("Code from your authenticator app"))
    staff.keyboard.type(next_code(iro.email))
    press_and_follow(staff)
    assert staff.url.endswith("/staff/")
    check_page(staff, direction="ltr")
    if language == "ar":
        expect(staff.get_by_role("alert")).to_contain_text(kid.preferred_name)
    tab_to(staff, staff.get_by_role("link", name=kid.preferred_name).first)
    press_and_follow(staff)  # the child's record
    tab_to(staff, staff.locator("main table a").first)
    press_and_follow(staff)  # their review, with everyone's views
    check_page(staff, direction="ltr")
    tab_to(staff, staff.get_by_role("link", name=re.compile("^Read")).first)
    press_and_follow(staff)
    assert re.search(r"/staff/consultations/\d+$", staff.url)
    check_page(staff, direction="ltr")
    answers = staff.locator(".answer-text[dir=auto]")
    assert MIXED in answers.all_inner_texts()
    assert PRIVATE in answers.all_inner_texts()
    expect(staff.locator(".answer--private")).to_contain_text(PRIVATE)
    expect(staff.locator("main")).to_contain_text("Yes, for part of it")
    db.session.expire_all()
