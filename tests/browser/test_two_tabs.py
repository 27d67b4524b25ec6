"""A page saved in one tab, then in another: the clash page, by keyboard, at 320px."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer
from tests import factories
from tests.browser.conftest import check_page, press_and_follow, tab_to, translator, type_into


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en_GB", "ar"])
def test_the_second_tab_is_told_and_chooses_by_keyboard(
    phone, live_server: str, language: str
) -> None:
    t = translator(language)
    direction, tag = ("rtl", "ar") if language == "ar" else ("ltr", "en-GB")
    *_, issued = factories.world(age=15, language=language)
    first_tab = phone()
    first_tab.goto(f"{live_server}/i/{issued.link_token}")
    type_into(first_tab, t("Choose a PIN or a secret word"), "4821")
    type_into(first_tab, t("Type it again"), "4821")
    press_and_follow(first_tab)
    step_url = first_tab.url
    second_tab = first_tab.context.new_page()  # the same browser, so the same sign-in
    second_tab.goto(step_url)

    where = t("Where would you like the meeting to be?")
    type_into(first_tab, where, "At school")
    tab_to(first_tab, first_tab.get_by_role("button", name=t("Save and continue")))
    press_and_follow(first_tab)

    type_into(second_tab, where, "At home")
    tab_to(second_tab, second_tab.get_by_role("button", name=t("Save and continue")))
    press_and_follow(second_tab)
    check_page(second_tab, direction=direction, lang=tag)
    main = second_tab.locator("main").inner_text()
    assert t("This page was changed somewhere else") in main
    assert "At school" in main and "At home" in main

    tab_to(second_tab, second_tab.get_by_role("button", name=t("Use the answers from this tab")))
    press_and_follow(second_tab)
    check_page(second_tab, direction=direction, lang=tag)
    stored = db.session.scalars(select(Answer).where(Answer.question_key == "meeting_where"))
    assert [answer.value for answer in stored] == ["At home"]
