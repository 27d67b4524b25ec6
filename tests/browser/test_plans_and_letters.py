"""An IRO writes, previews and publishes a letter by keyboard alone; the child reads it on
a 320px phone with "you said, we did" and answers it; "read it to me" appears only where
the browser can speak the page's language. English and Arabic, axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.data import documents as document_data
from portal.extensions import db
from portal.models import Answer, Document, DocumentResponse, DocumentVersion
from tests import factories
from tests.browser.conftest import (
    STAFF_LANGUAGES,
    check_page,
    follow,
    in_language,
    press_and_follow,
    sign_in_in_language,
    tab_to,
    translator,
)

LETTER = "Dear Jess,\n\n## What was decided\n- You will stay with Pat.\n- You will see Sam more."
# A voice for English and Arabic, for browsers that have them (headless Chromium has none).
WITH_VOICES = """
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  Object.defineProperty(window, "speechSynthesis", { value: {
    speaking: false, spoken: [],
    getVoices: function () { return [{ lang: "en-GB" }, { lang: "ar-SA" }]; },
    speak: function (u) { this.spoken.push(u.text); }, cancel: function () {},
    addEventListener: function () {}
  }});
"""
WITHOUT_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"


def _held_review_with_what_jess_said(language: str):  # type: ignore[no-untyped-def]
    la = factories.authority()
    iro = factories.staff(la, name="Jo Whitfield")
    kid, review = factories.child(la, iro, name="Jess", language=language)
    issued = factories.invitation(review, name="Jess", language=language)
    db.session.commit()
    return la, iro, kid, review, issued


@pytest.mark.browser
@pytest.mark.parametrize("language", list(STAFF_LANGUAGES))
def test_an_iro_writes_and_publishes_a_letter_by_keyboard_alone(
    phone, live_server: str, language: str
) -> None:
    t, check = in_language(language)
    la, iro, kid, review, issued = _held_review_with_what_jess_said("en_GB")
    child = phone()
    child.goto(f"{live_server}/i/{issued.link_token}")
    child.get_by_label("Choose a PIN or a secret word", exact=True).fill("4821")
    child.get_by_label("Type it again", exact=True).fill("4821")
    with child.expect_navigation():
        child.get_by_role("button", name="Continue").click()
    cid = int(child.url.split("/")[-2])
    child.goto(f"{live_server}/consultation/{cid}/your_views")
    child.get_by_label("What is working well for you?", exact=True).fill("Living with Pat")
    with child.expect_navigation():
        child.get_by_role("button", name="Save and continue").click()
    answer = db.session.scalar(select(Answer))
    assert answer is not None

    page = phone()
    sign_in_in_language(page, live_server, language, iro.email, t, check, wrong_code_first=False)
    page.goto(f"{live_server}/staff/reviews/{review.id}")
    check(page)
    follow(
        page,
        page.get_by_role("link", name=t("Write the letter to %(name)s") % {"name": "Jess"}),
        check,
    )
    body = page.get_by_label(t("What you want to say"), exact=True)
    tab_to(page, body)
    page.keyboard.press("Control+A")
    page.keyboard.type(LETTER)
    tab_to(page, page.get_by_label(t("So we decided (optional)")))
    page.keyboard.type("You will stay with Pat.")
    tab_to(page, page.get_by_role("button", name=t("Save and preview")))
    press_and_follow(page)
    assert page.url.endswith("/preview")
    check(page)
    preview = page.get_by_role("region", name=t("The child’s phone"))
    expect(preview).to_contain_text("You will see Sam more.")
    expect(preview).to_contain_text("Living with Pat")
    tab_to(page, page.get_by_role("button", name=t("Publish")))
    press_and_follow(page)
    check(page)
    db.session.expire_all()
    version = db.session.scalar(select(DocumentVersion))
    assert version is not None and "You will stay with Pat." in version.body_html
    document = db.session.scalar(select(Document))
    assert document is not None and [t.decision for t in document.ties] == [
        "You will stay with Pat."
    ]


def _published_letter(language: str):  # type: ignore[no-untyped-def]
    la, iro, kid, review, issued = _held_review_with_what_jess_said(language)
    document = document_data.start_letter(review)
    document_data.save_draft(
        document, LETTER, seen_revision=0, staff=iro, for_parents=False, for_carers=False
    )
    document_data.publish(document, iro, reading_age=7, above_goal_confirmed=False)
    if language == "ar":
        document_data.save_translation(
            document, "ar", "عزيزتي Jess،\n\n## ما الذي تقرّر\n- ستبقين مع Pat.", iro
        )
    db.session.commit()
    return document, issued


def _child_opens(page: Page, base: str, token: str, t) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/i/{token}")
    tab_to(page, page.get_by_label(t("Choose a PIN or a secret word"), exact=True))
    page.keyboard.type("4821")
    tab_to(page, page.get_by_label(t("Type it again"), exact=True))
    page.keyboard.type("4821")
    press_and_follow(page)


def _before_the_date(t) -> str:  # type: ignore[no-untyped-def]
    return str(t("Your letter after your review on %(date)s")).split("%")[0]


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_the_child_reads_the_letter_and_answers_it_by_keyboard(
    phone, live_server: str, language: str
) -> None:
    t = translator(language)
    direction = "rtl" if language == "ar" else "ltr"
    document, issued = _published_letter(language)
    page = phone()
    _child_opens(page, live_server, issued.link_token, t)
    page.goto(f"{live_server}/your-plan-and-letters")
    check_page(page, direction=direction)
    follow(
        page,
        page.get_by_role(
            "link",
            name=re.compile(
                re.escape(t("Your letter after your review on %(date)s").split("%")[0])
            ),
        ),
        lambda p: check_page(p, direction=direction),
    )
    text = page.locator("#document-text")
    if language == "ar":
        expect(text).to_contain_text("ستبقين مع Pat.")
        expect(page.locator(".document-body")).to_have_attribute("lang", "ar")
    else:
        expect(text).to_contain_text("You will see Sam more.")
    # Jump to a heading from the contents, by keyboard.
    tab_to(page, page.get_by_role("button", name=t("I’ve read it")))
    press_and_follow(page)
    check_page(page, direction=direction)
    db.session.expire_all()
    responses = db.session.scalars(select(DocumentResponse)).all()
    assert [r.kind for r in responses] == ["read"]


@pytest.mark.browser
@pytest.mark.parametrize(("script", "shown"), [(WITH_VOICES, True), (WITHOUT_SPEECH, False)])
def test_read_it_to_me_appears_only_where_the_browser_can_speak(
    phone, live_server: str, script: str, shown: bool
) -> None:
    document, issued = _published_letter("en_GB")
    page = phone()
    page.add_init_script(script)
    _child_opens(page, live_server, issued.link_token, translator("en_GB"))
    page.goto(f"{live_server}/read/{document.id}")
    button = page.get_by_role("button", name="Read it to me")
    if shown:
        expect(button).to_be_visible()
        tab_to(page, button)
        page.keyboard.press("Enter")
        spoken = page.evaluate("window.speechSynthesis.spoken")
        assert spoken and "You will see Sam more." in spoken[0]
    else:
        expect(button).to_be_hidden()
    check_page(page, direction="ltr")
