"""Check your answers on a 320px phone, every question answered and some at length:
axe finds nothing, nothing scrolls sideways, and a long answer opens by keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.data import consultations as consultation_data
from portal.extensions import db
from portal.models import Consultation
from portal.questionnaires.declarations import form_version
from tests import factories
from tests.browser.conftest import check_page, press_and_follow, tab_to, translator

LONG = (
    "Most days are fine but the bus to school takes nearly an hour and I am often late, "
    "which gets me in trouble even though it is not my fault 😞. I would like to move to "
    "a school nearer my home, or a bus pass for the earlier bus 👍🏽. My teacher helps me "
    "with maths after lunch on Tuesdays and I want to keep doing that. The end."
)
LONG_MIXED = (
    "أريد أن أرى أخي الصغير أكثر من مرة في الشهر لأنني أشتاق إليه كثيرًا. "
    "My social worker said maybe in the summer holidays. "
    "أريد أيضًا أن ألعب كرة القدم مع فريق المدرسة يوم السبت وأن أتعلم الإنجليزية بسرعة."
)
LONG_ANSWERS = {"school_comments": LONG, "family_time_comments": LONG_MIXED}
LANGUAGES = {"en_GB": ("ltr", "en-GB"), "ar": ("rtl", "ar")}


def _answer_everything(consultation_id: int, language: str) -> None:
    consultation = db.session.get(Consultation, consultation_id)
    assert consultation is not None
    questionnaire = form_version(consultation.form_key, consultation.form_version)
    for step in questionnaire.steps:
        values = {
            q.key: q.options[0].value if q.options else LONG_ANSWERS.get(q.key, "At school 🙂")
            for q in step.questions
        }
        with factories.in_authority(consultation.local_authority_id):
            consultation_data.save_step(
                consultation, questionnaire, step, values, language, "check"
            )
    db.session.commit()


@pytest.mark.browser
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_check_answers_on_a_phone_with_a_long_answer_opened_by_keyboard(
    phone, live_server: str, language: str
) -> None:
    direction, tag = LANGUAGES[language]
    t = translator(language)
    *_, issued = factories.world(age=15, language=language)
    page = phone(javascript=False)  # <details> opens without our script
    page.goto(f"{live_server}/i/{issued.link_token}")
    page.get_by_label(t("Choose a PIN or a secret word"), exact=True).fill("4821")
    page.get_by_label(t("Type it again"), exact=True).fill("4821")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Continue")).click()
    match = re.search(r"/consultation/(\d+)/", page.url)
    assert match
    _answer_everything(int(match.group(1)), language)

    page.goto(f"{live_server}/consultation/{match.group(1)}/check")
    check_page(page, direction=direction, lang=tag)
    # One "Change" link a topic, named for it.
    changes = page.get_by_role("link", name=re.compile("^" + re.escape(t("Change")) + " – "))
    expect(changes).to_have_count(12)
    expect(page.get_by_role("link", name=f"{t('Change')} – {t('Your home')}")).to_have_count(1)

    long_answer = page.locator(".answer-long").filter(has_text=LONG[:40])
    details = long_answer.locator("details")
    full = details.locator(".answer-text")
    preview = long_answer.locator(".answer-long__preview")
    expect(preview).to_be_visible()
    expect(full).to_be_hidden()

    tab_to(page, details.locator("summary"))
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    expect(full).to_be_visible()
    expect(full).to_have_text(LONG)
    expect(full).to_have_attribute("dir", "auto")
    expect(full).to_have_attribute("lang", tag)
    expect(preview).to_be_hidden()  # the beginning is not shown twice
    check_page(page, direction=direction, lang=tag)

    page.keyboard.press("Enter")  # and closes again
    expect(full).to_be_hidden()
    expect(preview).to_be_visible()

    tab_to(page, page.get_by_role("button", name=t("Send to my IRO")))
    press_and_follow(page)
    assert page.url.endswith("/sent")
