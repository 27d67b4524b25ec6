"""A professional's whole journey, and a carer with three children moving between them,
by keyboard alone on a 320px phone, in English and in Arabic, every page passing axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer, Consultation, InviteeRole
from tests import factories
from tests.browser.conftest import check_page, choose, press_and_follow, tab_to, translator

CARER_EMAIL = "pat.carer@example.org"


def _choose_a_pin(page: Page, t) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, page.get_by_label(t("Choose a PIN or a secret word"), exact=True))
    page.keyboard.type("4821")
    tab_to(page, page.get_by_label(t("Type it again"), exact=True))
    page.keyboard.type("4821")
    press_and_follow(page)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_a_health_professional_sends_views_by_keyboard_alone(
    phone, live_server: str, language: str
) -> None:
    t = translator(language)
    direction = "rtl" if language == "ar" else "ltr"
    lang = language.replace("_", "-")
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, name="Kasia")
    issued = factories.invitation(
        review,
        role=InviteeRole.PROFESSIONAL,
        name="Nurse Bell",
        language=language,
        professional_kind="health",
    )
    db.session.commit()
    page = phone()

    page.goto(f"{live_server}/i/{issued.link_token}")
    check_page(page, direction=direction, lang=lang)
    _choose_a_pin(page, t)
    assert re.search(r"/consultation/\d+/health_checks$", page.url), page.url
    consultation_id = int(page.url.split("/")[-2])
    check_page(page, direction=direction, lang=lang)
    expect(page.locator(".about-child")).to_contain_text("Kasia")

    tab_to(page, page.get_by_label(t("When was the child's last health assessment?")))
    page.keyboard.type("March 2026")
    dental = page.get_by_role("group", name=t("Is the child's dental check up to date?"))
    choose(
        page,
        dental.get_by_role("radio").first,
        dental.get_by_role("radio", name=t("Not known")),
    )
    steps = 0
    while "/check" not in page.url:
        tab_to(page, page.get_by_role("button", name=t("Save and continue")))
        press_and_follow(page)
        check_page(page, direction=direction, lang=lang)
        steps += 1
        assert steps < 6, page.url
    expect(page.locator("main")).to_contain_text("March 2026")
    tab_to(page, page.get_by_role("button", name=t("Send your views")))
    press_and_follow(page)
    assert page.url.endswith("/sent")
    check_page(page, direction=direction, lang=lang)

    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation_id)
    assert consultation is not None and consultation.status == "submitted"
    assert consultation.submitted_on_time is True
    stored = {a.question_key: a.value for a in db.session.scalars(select(Answer))}
    assert stored == {
        "health_assessment_date": "March 2026",
        "dental_check_up_to_date": "not_known",
    }


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_a_carer_with_three_children_moves_between_them_by_keyboard(
    phone, live_server: str, language: str
) -> None:
    t = translator(language)
    direction = "rtl" if language == "ar" else "ltr"
    lang = language.replace("_", "-")
    la = factories.authority()
    iro = factories.staff(la)
    invitations = {}
    for name, days in (("Aled", 10), ("Bea", 20), ("Cai", 30)):
        _kid, review = factories.child(la, iro, name=name, review_in_days=days)
        invitations[name] = factories.invitation(
            review, role=InviteeRole.CARER, name="Pat", language=language, email=CARER_EMAIL
        )
    db.session.commit()
    page = phone()

    page.goto(f"{live_server}/i/{invitations['Cai'].link_token}")
    _choose_a_pin(page, t)
    assert page.url.endswith("/your-invitations")
    check_page(page, direction=direction, lang=lang)
    cards = page.locator(".invitation-card h2")
    expect(cards).to_have_text(["Aled", "Bea", "Cai"])

    # Into Bea's form by keyboard; the page says whose it is.
    tab_to(page, page.get_by_role("button", name=re.compile("Bea")))
    press_and_follow(page)
    assert "/consultation/" in page.url
    check_page(page, direction=direction, lang=lang)
    about = page.locator(".about-child")
    expect(about).to_contain_text("Bea")
    expect(about).not_to_contain_text("Aled")
    tab_to(page, page.get_by_label(t("Health"), exact=True))
    page.keyboard.type("Bea loves swimming")
    tab_to(page, page.get_by_role("button", name=t("Save and continue")))
    press_and_follow(page)

    # Back to all three, then Aled's.
    tab_to(page, page.locator(".about-child a"))
    press_and_follow(page)
    assert page.url.endswith("/your-invitations")
    check_page(page, direction=direction, lang=lang)
    tab_to(page, page.get_by_role("button", name=re.compile("Aled")))
    press_and_follow(page)
    check_page(page, direction=direction, lang=lang)
    expect(page.locator(".about-child")).to_contain_text("Aled")
    db.session.expire_all()
    by_child = {
        a.consultation.invitation.review.child.preferred_name: a.value
        for a in db.session.scalars(select(Answer))
    }
    assert by_child == {"Bea": "Bea loves swimming"}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_asking_for_a_sign_in_link_by_keyboard(phone, live_server: str, language: str) -> None:
    t = translator(language)
    direction = "rtl" if language == "ar" else "ltr"
    page = phone()
    page.goto(f"{live_server}/language/{language}?next=/sign-in")
    check_page(page, direction=direction)
    tab_to(page, page.get_by_role("link", name=t("Sign in with your email or mobile number")))
    press_and_follow(page)
    assert page.url.endswith("/sign-in/link")
    check_page(page, direction=direction)
    tab_to(page, page.get_by_role("button", name=t("Send me a link")))
    press_and_follow(page)
    check_page(page, direction=direction)  # the error, said in their language
    expect(page.locator(".error-summary")).to_contain_text(
        t("Enter your email address or mobile number")
    )
    tab_to(page, page.get_by_label(t("Your email address or UK mobile number")))
    page.keyboard.type("nobody@example.org")
    press_and_follow(page)
    assert "/sign-in/link/sent" in page.url
    check_page(page, direction=direction)
