"""A child chooses who reads an answer, and changes it after sending, by keyboard alone,
on a 320px phone, in English and in Arabic (right to left), with and without JavaScript;
every page passes axe; the IRO's meeting record leaves the answer out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer, AnswerAudienceChange
from tests import factories
from tests.browser.conftest import check_page, choose, press_and_follow, tab_to, translator

WHERE = "عند جدتي – at my nan’s"


def _audience_group(page: Page, t, question: str) -> Locator:  # type: ignore[no-untyped-def]
    """The choice under one question: a group named by its legend and the question."""
    return page.get_by_role("group", name=t(question))


def _stored() -> dict[str, str]:
    db.session.expire_all()
    return {a.question_key: a.audience for a in db.session.scalars(select(Answer))}


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_a_child_chooses_who_reads_an_answer_by_keyboard_alone(
    phone, live_server: str, language: str, javascript: bool
) -> None:
    t = translator(language)
    direction = "rtl" if language == "ar" else "ltr"
    lang_tag = language.replace("_", "-")
    la, iro, kid, review, issued = factories.world(age=15, language=language)
    page = phone(javascript=javascript)

    page.goto(f"{live_server}/i/{issued.link_token}")
    tab_to(page, page.get_by_label(t("Choose a PIN or a secret word"), exact=True))
    page.keyboard.type("4821")
    tab_to(page, page.get_by_label(t("Type it again"), exact=True))
    page.keyboard.type("4821")
    press_and_follow(page)
    assert re.search(r"/consultation/\d+/meeting$", page.url)
    consultation_id = int(page.url.split("/")[-2])
    check_page(page, direction=direction, lang=lang_tag)

    # Under the answer: who can read it, starting at the authority's default.
    tab_to(page, page.get_by_label(t("Where would you like the meeting to be?"), exact=True))
    page.keyboard.type(WHERE)
    where = _audience_group(page, t, "Where would you like the meeting to be?")
    expect(where).to_contain_text(t("Who can read this answer?"))
    everyone = where.get_by_role("radio", name=t("Everyone at my meeting"))
    only_iro = where.get_by_role("radio", name=t("Only my IRO"))
    expect(everyone).to_be_checked()
    choose(page, everyone, only_iro)
    expect(only_iro).to_be_checked()
    # The other question's choice is its own.
    when = _audience_group(page, t, "When is a good time for you?")
    expect(when.get_by_role("radio", name=t("Everyone at my meeting"))).to_be_checked()
    check_page(page, direction=direction, lang=lang_tag)
    tab_to(page, page.get_by_role("button", name=t("Save and continue")))
    press_and_follow(page)
    assert page.url.endswith("/people")
    assert _stored() == {"meeting_where": "iro"}

    # Check your answers says it back; then send.
    page.goto(f"{live_server}/consultation/{consultation_id}/check")
    check_page(page, direction=direction, lang=lang_tag)
    expect(page.locator("main")).to_contain_text(t("Only your IRO can read this."))
    tab_to(page, page.get_by_role("button", name=t("Send to my IRO")))
    press_and_follow(page)
    assert page.url.endswith("/sent")
    check_page(page, direction=direction, lang=lang_tag)

    # After sending, they change their mind, still by keyboard.
    tab_to(page, page.get_by_role("link", name=t("Change who can read your answers")))
    press_and_follow(page)
    assert page.url.endswith("/who-can-read")
    check_page(page, direction=direction, lang=lang_tag)
    where = _audience_group(page, t, "Where would you like the meeting to be?")
    choose(
        page,
        where.get_by_role("radio", name=t("Only my IRO")),
        where.get_by_role("radio", name=t("My IRO and my social worker")),
    )
    tab_to(page, page.get_by_role("button", name=t("Save who can read my answers")))
    press_and_follow(page)
    check_page(page, direction=direction, lang=lang_tag)
    expect(page.get_by_role("status")).to_have_text(
        t("Saved. Your IRO can see who you want to read each answer.")
    )
    assert _stored() == {"meeting_where": "iro_social_worker"}
    changes = db.session.scalars(select(AnswerAudienceChange)).all()
    assert [(c.from_audience, c.to_audience) for c in changes] == [("iro", "iro_social_worker")]
