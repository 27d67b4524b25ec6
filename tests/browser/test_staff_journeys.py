"""The IRO's main journeys in a real browser, by keyboard alone, at 320px, in English
and Arabic: sign in with an authenticator code, plan a review, invite a child,
read what they sent. axe checks every page on the way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.domain import two_factor
from portal.extensions import db
from portal.models import Child, Review
from tests import factories
from tests.browser.conftest import (
    STAFF_LANGUAGES,
    choose,
    follow,
    in_language,
    press_and_follow,
    sign_in_by_keyboard,
    sign_in_in_language,
    tab_to,
    type_date,
    type_into,
)

LANGUAGES = list(STAFF_LANGUAGES)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_iro_plans_a_review_invites_a_child_and_reads_their_views(
    phone, live_server: str, language: str
) -> None:
    t, check = in_language(language)

    la = factories.authority()
    iro = factories.staff(la, name="Jo Whitfield")
    kid, old_review = factories.child(la, iro, name="Amira")
    kid.came_into_care_on = date.today() - timedelta(days=5)  # noqa: DTZ011 - just arrived
    db.session.delete(old_review)
    db.session.commit()

    page = phone()
    sign_in_in_language(page, live_server, language, iro.email, t, check)
    assert page.url.endswith("/staff/")
    check(page)

    # The caseload shows Amira with no review planned; open her record.
    follow(page, page.get_by_role("link", name="Amira", exact=True), check)
    follow(page, page.get_by_role("link", name=t("Plan a review")), check)
    # The form suggests the statutory date; the IRO keeps it and adds a venue.
    type_into(page, t("Venue (optional)"), "مدرسة / School")
    tab_to(page, page.get_by_role("button", name=t("Save")))
    press_and_follow(page)
    assert re.search(r"/staff/reviews/\d+$", page.url)
    check(page)

    # Invite Amira by printed letter, in Arabic.
    follow(page, page.get_by_role("link", name=t("Invite someone to give their views")), check)
    role = page.locator("input[name=role]")
    choose(page, role.first, page.locator("input[name=role][value=child]"))
    type_into(page, t("Their name"), "Amira")
    language_select = page.get_by_label(t("Their language"), exact=True)
    tab_to(page, language_select)
    language_select.select_option("ar")  # a native select: the keyboard opens a picker
    channel = page.locator("input[name=channel]")
    choose(page, channel.first, page.locator("input[name=channel][value=letter]"))
    follow(page, page.get_by_role("button", name=t("Create the invitation")), check)
    letter = page.locator("main").inner_text()
    code = re.search(
        r"[ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3}", letter
    )
    assert code, letter

    # Amira signs in with the code from her letter and sends her views.
    child = phone()
    child.goto(f"{live_server}/sign-in")
    child.locator("input[name=code]").fill(code.group(0))
    with child.expect_navigation():
        child.locator("main form button[type=submit]").first.click()
    child.locator("input[name=secret]").fill("2468")
    child.locator("input[name=confirm]").fill("2468")
    with child.expect_navigation():
        child.locator("main form button[type=submit]").first.click()
    assert "/consultation/" in child.url
    child.locator("[name=meeting_where]").fill("أريد أن أبقى في مدرستي 🙂")
    with child.expect_navigation():
        child.locator("main form button[type=submit]").first.click()
    cid = re.search(r"/consultation/(\d+)/", child.url).group(1)  # type: ignore[union-attr]
    child.goto(f"{live_server}/consultation/{cid}/check")
    with child.expect_navigation():
        child.locator("main form button[type=submit]").last.click()
    assert child.url.endswith("/sent"), child.url + child.locator("main").inner_text()

    # The IRO's inbox for the review shows it submitted; they read and print it.
    page.go_back()
    page.go_back()
    page.reload()
    review_url = re.sub(r"/invite$", "", page.url)
    page.goto(review_url)
    check(page)
    assert t("Submitted") in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name=re.compile(t("Read"))), check)
    assert "أريد أن أبقى في مدرستي 🙂" in page.locator("main").inner_text()
    follow(page, page.get_by_role("link", name=t("Printable record"), exact=True), check)
    assert "أريد أن أبقى في مدرستي 🙂" in page.locator("main").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_member_of_staff_sets_up_two_factor_by_qr_code(
    phone, live_server: str, language: str
) -> None:
    t, check = in_language(language)
    newcomer = factories.staff(factories.authority(), enrolled=False)
    db.session.commit()
    page = phone()
    page.goto(f"{live_server}/language/{language}?next=/staff/sign-in")
    type_into(page, t("Email address"), newcomer.email)
    type_into(page, t("Password"), factories.STAFF_PASSWORD)
    press_and_follow(page)
    assert page.url.endswith("/staff/two-factor/set-up")
    check(page)
    assert page.get_by_role(
        "img", name=t("QR code to scan with your authenticator app")
    ).is_visible()
    secret = page.locator(".typed-secret").inner_text().replace(" ", "")
    type_into(
        page,
        t("Code from your authenticator app"),
        two_factor.code_at(secret, two_factor.step_at(datetime.now(UTC))),
    )
    press_and_follow(page)
    check(page)
    assert page.locator(".recovery-codes li").count() == 10
    tab_to(page, page.get_by_role("link", name=t("I have kept them: continue")))
    press_and_follow(page)
    assert page.url.endswith("/staff/")
    check(page)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_review_status_change_and_a_new_child_by_keyboard(
    phone, live_server: str, language: str
) -> None:
    t, check = in_language(language)
    la = factories.authority()
    iro = factories.staff(la)
    kid, review = factories.child(la, iro, name="Rowan")
    db.session.commit()
    page = phone()
    sign_in_in_language(page, live_server, language, iro.email, t, check)
    page.goto(f"{live_server}/staff/reviews/{review.id}")
    page.get_by_label(t("New status"), exact=True).select_option("rearranged")
    tab_to(page, page.get_by_role("button", name=t("Change the status")))
    press_and_follow(page)
    check(page)  # errors: a reason and a new date are needed
    type_into(page, t("Reason"), "Rowan has exams")
    new_day = date.today() + timedelta(days=40)  # noqa: DTZ011
    # In Arabic, typed in Arabic-Indic digits as an Arabic keyboard gives them.
    type_date(page, t("New date (if rearranged)"), new_day, arabic_digits=language == "ar")
    follow(page, page.get_by_role("button", name=t("Change the status")), check)
    assert "Rowan has exams" in page.locator("main").inner_text()
    db.session.expire_all()
    assert db.session.get(Review, review.id).planned_on == new_day  # type: ignore[union-attr]

    page.goto(f"{live_server}/staff/children/new")
    check(page)
    tab_to(page, page.get_by_role("button", name=t("Save")))
    press_and_follow(page)
    check(page)  # every error, summarised and linked
    assert page.locator(".error-summary li").count() >= 3

    # The dates, one without its month: the one error says so, its box is marked, and
    # the summary's link takes the keyboard to that box.
    born, came = date(2012, 2, 29), date.today() - timedelta(days=30)  # noqa: DTZ011
    type_into(page, t("Preferred name"), "Robin")
    type_date(page, t("Date of birth"), born)
    type_date(page, t("Date they came into care"), came)
    month = page.locator("#date_of_birth-month")
    tab_to(page, month)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    tab_to(page, page.get_by_role("button", name=t("Save")))
    press_and_follow(page)
    check(page)
    summary_link = page.locator(".error-summary").get_by_role(
        "link", name=t("Date must include a month")
    )
    assert summary_link.get_attribute("href") == "#date_of_birth-month"
    assert page.locator(".input--error").evaluate_all("(boxes) => boxes.map((b) => b.id)") == [
        "date_of_birth-month"
    ]
    tab_to(page, summary_link)
    page.keyboard.press("Enter")
    expect(month).to_be_focused()
    page.keyboard.type(str(born.month))
    tab_to(page, page.get_by_role("button", name=t("Save")))
    press_and_follow(page)
    check(page)
    robin = db.session.scalars(select(Child).where(Child.preferred_name == "Robin")).one()
    assert (robin.date_of_birth, robin.came_into_care_on) == (born, came)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_are_warned_at_28_minutes_idle_and_signed_out_at_30(
    phone, live_server: str, language: str
) -> None:
    t, check = in_language(language)

    iro = factories.staff(factories.authority())
    db.session.commit()
    page = phone()
    page.clock.install()
    page.goto(f"{live_server}/language/{language}?next=/staff/sign-in")
    sign_in_by_keyboard(page, live_server, iro.email, t, check, wrong_code_first=False)
    dialog = page.get_by_role("dialog", name=t("You will be signed out soon"))
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("28:01")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("button", name=t("Stay signed in"))).to_be_focused()
    check(page)
    with page.expect_response(re.compile(r"/session/keep-alive$")) as answered:
        page.keyboard.press("Enter")
    assert answered.value.status == 204
    expect(dialog).to_be_hidden()

    # Ignored this time: at 30 minutes the page goes to sign-in and says why.
    page.clock.fast_forward("28:01")
    expect(dialog).to_be_visible()
    with page.expect_navigation():
        page.clock.fast_forward("02:00")
    assert page.url.endswith("/staff/sign-in?reason=expired")
    assert (
        t("You were signed out because you were inactive for a while.")
        in page.locator("main").inner_text()
    )
    check(page)
