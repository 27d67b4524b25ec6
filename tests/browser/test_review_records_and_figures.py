"""Issue 12 in a real browser, by keyboard alone, at 320px, in English and Arabic, axe
on every page: an IRO records a review and confirms the suggested code; a manager
reads the figures, the printable report and its charts; a child says how the review
went."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.data.consultations import submit
from portal.extensions import db
from portal.models import Consultation, Review, ReviewFeedback, StaffRole
from tests import factories
from tests.browser.conftest import (
    STAFF_LANGUAGES,
    check_page,
    child_opens_invitation,
    choose,
    follow,
    in_language,
    press_and_follow,
    sign_in_in_language,
    tab_to,
    translator,
    type_date,
)

LANGUAGES = list(STAFF_LANGUAGES)
YESTERDAY = date.today() - timedelta(days=1)  # noqa: DTZ011


def _radio(page, t, question: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    group = page.get_by_role("group", name=t(question))
    choose(
        page,
        group.get_by_role("radio").first,
        group.get_by_role("radio", name=t(answer), exact=True),
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_iro_records_a_review_and_confirms_the_code_by_keyboard(
    phone, live_server: str, language: str
) -> None:
    t, check = in_language(language)
    la = factories.authority()
    iro = factories.staff(la)
    kid, review = factories.child(la, iro, name="Amira", review_in_days=-1)
    issued = factories.invitation(review, name="Amira")
    consultation = Consultation(
        local_authority_id=la.id,
        invitation=issued.invitation,
        form_key="age_13_to_17",
        form_version=1,
    )
    db.session.add(consultation)
    db.session.flush()
    submit(consultation)
    db.session.commit()

    page = phone()
    sign_in_in_language(page, live_server, language, iro.email, t, check, wrong_code_first=False)
    page.goto(f"{live_server}/staff/reviews/{review.id}")
    check(page)
    follow(page, page.get_by_role("link", name=t("Record what happened")), check)
    type_date(page, t("Day the review was held"), YESTERDAY)
    _radio(page, t, "Did the child come to the meeting?", "No")
    _radio(page, t, "Did the child chair the meeting?", "No")
    _radio(page, t, "Did the child speak for themselves at the meeting?", "No")
    _radio(page, t, "Did the child show their views at the meeting without words?", "No")
    _radio(page, t, "Advocate", "No advocate")
    _radio(page, t, "Was there an interpreter?", "Yes")
    _radio(page, t, "Did the child's views reach you another way?", "No")
    tab_to(page, page.get_by_role("button", name=t("Save and choose the code")))
    press_and_follow(page)
    assert page.url.endswith("/record/code"), page.url
    check(page)
    expect(page.locator(".participation-suggestion")).to_contain_text("PN6")
    expect(page.get_by_role("radio", name="PN6", exact=False)).to_be_checked()
    tab_to(page, page.get_by_role("button", name=t("Confirm the code")))
    press_and_follow(page)
    assert page.url.endswith("/record/summary")
    check(page)
    db.session.expire_all()
    stored = db.session.get(Review, review.id)
    assert (stored.participation_code, stored.status, stored.interpreter) == ("PN6", "held", True)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_manager_reads_the_figures_and_the_printable_report(
    phone, live_server: str, language: str
) -> None:
    t, check = in_language(language)
    la = factories.authority()
    manager = factories.staff(la, role=StaffRole.MANAGER)
    for n in range(6):
        _kid, review = factories.child(la, manager, name=f"Child {n}", review_in_days=-20 - n)
        review.status = "held"
        review.participation_code = ["PN1", "PN6", "PN6", "PN7", "PN2", "PN0"][n]
    db.session.commit()

    page = phone()
    sign_in_in_language(
        page, live_server, language, manager.email, t, check, wrong_code_first=False
    )
    follow(page, page.get_by_role("link", name=t("Figures")), check)
    expect(page.locator("svg[role=img]").first).to_be_visible()
    tab_to(page, page.get_by_role("button", name=t("Show figures")))
    press_and_follow(page)
    check(page)
    follow(page, page.get_by_role("link", name=t("Printable report")), check)
    expect(page.locator("main")).to_contain_text("PN6")


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_a_child_says_how_the_review_went_by_keyboard(
    phone, live_server: str, language: str
) -> None:
    t = translator(language)
    direction = "rtl" if language == "ar" else "ltr"
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, name="Sami", language=language)
    issued = factories.invitation(review, name="Sami", language=language)
    review.status = "held"
    db.session.commit()

    page = phone()
    page.goto(f"{live_server}/i/{issued.link_token}")
    tab_to(page, page.get_by_label(t("Choose a PIN or a secret word"), exact=True))
    page.keyboard.type("4821")
    tab_to(page, page.get_by_label(t("Type it again"), exact=True))
    page.keyboard.type("4821")
    press_and_follow(page)
    assert page.url.endswith("/feedback"), page.url
    check_page(page, direction=direction)
    faces = page.get_by_role("group", name=t("How was the meeting?"))
    choose(
        page,
        faces.get_by_role("radio").first,
        faces.get_by_role("radio", name=t("Good"), exact=True),
    )
    where = page.get_by_role("group", name=t("Was it where you wanted?"))
    choose(
        page,
        where.get_by_role("radio").first,
        where.get_by_role("radio", name=t("Yes"), exact=True),
    )
    tab_to(page, page.get_by_role("button", name=t("Send")))
    press_and_follow(page)
    assert page.url.endswith("/feedback/thanks")
    check_page(page, direction=direction)
    db.session.expire_all()
    kept = db.session.scalars(select(ReviewFeedback)).one()
    assert (kept.how_was_it, kept.right_place, kept.right_day) == ("good", "yes", None)


__all__ = ["child_opens_invitation"]
