"""The manager's and the administrator's journeys in a real browser, by keyboard alone,
at 320px, in English and Arabic, with axe on every page on the way: importing a case
management export, reading the audit trail, covering an absent IRO, unlocking a child's
invitation, adding and disabling an account, and changing the service's settings."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from portal.domain.timescales import today_in_england
from portal.extensions import db
from portal.models import Child, LocalAuthority, StaffRole, StaffUser, utcnow
from tests import factories
from tests.browser.conftest import (
    STAFF_LANGUAGES,
    choose,
    follow,
    in_language,
    press_and_follow,
    sign_in_in_language,
    tab_to,
    type_date,
    type_into,
)

LANGUAGES = list(STAFF_LANGUAGES)


def _follow_nav(page: Page, t: Callable[[str], str], name: str) -> None:
    nav = page.get_by_role("navigation", name=t("Staff workspace"))
    tab_to(page, nav.get_by_role("link", name=t(name), exact=True))
    press_and_follow(page)


def _export(iro_email: str) -> str:
    return (
        "Child ID,Preferred name,DOB,Date became looked after,UASC,Preferred language,"
        "Communication needs,IRO email,Review ref,Review type,Review date,Review time,Venue,"
        "Review status\r\n"
        f"LL-2001,Yonas,2010-02-03,01/09/2025,yes,ti,interpreter,{iro_email},"
        "R-9,initial,2025-09-26,14:30,Family Centre,held\r\n"
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_manager_imports_reads_the_trail_covers_an_iro_and_unlocks_an_invitation(
    phone, live_server: str, language: str, tmp_path
) -> None:
    t, check = in_language(language)

    la = factories.authority()
    manager = factories.staff(la, role=StaffRole.MANAGER, name="Priya Manager")
    away = factories.staff(la, name="Jo Away")
    cover = factories.staff(la, name="Chris Cover")
    _, review = factories.child(la, away, name="Rowan")
    locked = factories.invitation(review, name="Rowan")
    locked.invitation.locked_at = utcnow()
    db.session.commit()
    export = tmp_path / "export.csv"
    export.write_text(_export(away.email), encoding="utf-8")

    page = phone()
    sign_in_in_language(
        page, live_server, language, manager.email, t, check, wrong_code_first=False
    )
    check(page)

    # Import: the file input opens the system's file chooser from the keyboard. The
    # listener goes on first, so the chooser is caught however fast it opens.
    page.on("filechooser", lambda chooser: chooser.set_files(str(export)))
    _follow_nav(page, t, "Import")
    check(page)
    file_input = page.get_by_label(t("CSV file from your case management system"), exact=True)
    tab_to(page, file_input)
    page.keyboard.press("Space")
    page.wait_for_function("(input) => input.files.length === 1", arg=file_input.element_handle())
    follow(page, page.get_by_role("button", name=t("Check the file")), check)
    assert page.get_by_role("table", name=t("What the import will do")).is_visible()
    follow(page, page.locator("main").get_by_role("button", name=t("Import"), exact=True), check)
    assert page.get_by_role("table", name=t("What the import did")).is_visible()
    yonas = db.session.scalar(select(Child).where(Child.external_ref == "LL-2001"))
    assert yonas is not None and yonas.preferred_name == "Yonas" and yonas.iro_id == away.id

    # The audit trail, filtered to imports.
    _follow_nav(page, t, "Audit trail")
    check(page)
    what = page.get_by_label(t("What they did"), exact=True)
    tab_to(page, what)
    what.select_option("imported")  # a native select: the keyboard opens a picker
    follow(page, page.get_by_role("button", name=t("Show events")), check)
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1 and t("Imported a file") in rows.first.inner_text()
    # Today's events only, the days typed into the From and To boxes.
    today = today_in_england()
    type_date(page, t("From"), today, arabic_digits=language == "ar")
    type_date(page, t("To"), today)
    follow(page, page.get_by_role("button", name=t("Show events")), check)
    assert rows.count() == 1 and t("Imported a file") in rows.first.inner_text()
    download = page.get_by_role("link", name=t("Download these events as a spreadsheet (CSV)"))
    assert f"to_day-year={today.year}" in (download.get_attribute("href") or "")
    # A day after today: nothing, and the typed boxes are kept.
    type_date(page, t("From"), today + timedelta(days=1))
    type_date(page, t("To"), today + timedelta(days=1))
    follow(page, page.get_by_role("button", name=t("Show events")), check)
    assert rows.count() == 0
    assert page.locator("#from_day-day").input_value() == str((today + timedelta(days=1)).day)

    # Jo is away; Chris covers, and so sees Jo's children.
    _follow_nav(page, t, "Team")
    check(page)
    follow(page, page.get_by_role("link", name=re.compile(re.escape("Jo Away"))), check)
    choose(
        page,
        page.locator("input[name=away]:checked"),  # Tab enters a group at its checked radio
        page.locator("input[name=away][value=yes]"),
    )
    covered_by = page.get_by_label(t("Who covers their children while they are away?"))
    tab_to(page, covered_by)
    covered_by.select_option(str(cover.id))
    follow(page, page.locator("main").get_by_role("button", name=t("Save")), check)
    db.session.expire_all()
    assert db.session.get(StaffUser, away.id).covered_by_id == cover.id  # type: ignore[union-attr]

    # Rowan's locked invitation, unlocked.
    _follow_nav(page, t, "Locked invitations")
    check(page)
    follow(page, page.get_by_role("button", name=re.compile(re.escape("Rowan"))), check)
    assert page.get_by_text(t("No invitations are locked.")).is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_administrator_adds_and_disables_an_account_and_renames_the_service(
    phone, live_server: str, language: str
) -> None:
    t, check = in_language(language)

    la = factories.authority()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR, name="Lee Admin")
    db.session.commit()
    page = phone()
    sign_in_in_language(page, live_server, language, admin.email, t, check, wrong_code_first=False)
    check(page)

    _follow_nav(page, t, "Accounts")
    check(page)
    follow(page, page.get_by_role("link", name=t("Add an account")), check)
    tab_to(page, page.get_by_role("button", name=t("Add the account")))
    press_and_follow(page)
    check(page)  # every mistake summarised and linked
    assert page.locator(".error-summary li").count() >= 3
    type_into(page, t("Full name"), "Sam Newcomer")
    type_into(page, t("Email address"), "sam.newcomer@testshire.example")
    type_into(page, t("Phone number"), "01632 960 123")
    choose(
        page,
        page.locator("input[name=role]").first,
        page.locator("input[name=role][value=iro]"),
    )
    follow(page, page.get_by_role("button", name=t("Add the account")), check)
    shown = page.locator(".panel bdi").inner_text()
    newcomer = db.session.scalar(
        select(StaffUser).where(StaffUser.email == "sam.newcomer@testshire.example")
    )
    assert newcomer is not None and newcomer.active and shown not in newcomer.password_hash

    tab_to(page, page.get_by_role("link", name=t("Back to staff accounts")))
    press_and_follow(page)
    follow(page, page.get_by_role("link", name="Sam Newcomer", exact=True), check)
    follow(page, page.get_by_role("button", name=t("Disable this account")), check)
    db.session.expire_all()
    assert db.session.get(StaffUser, newcomer.id).active is False  # type: ignore[union-attr]

    _follow_nav(page, t, "Settings")
    check(page)
    name = page.get_by_label(t("Name of the service"), exact=True)
    tab_to(page, name)
    page.keyboard.press("Control+A")
    page.keyboard.type("صوتك، Testshire")
    follow(page, page.get_by_role("button", name=t("Save the settings")), check)
    assert page.locator(".header__service").inner_text() == "صوتك، Testshire"
    db.session.expire_all()
    assert db.session.get(LocalAuthority, la.id).service_name == "صوتك، Testshire"  # type: ignore[union-attr]

    # How long records are kept: a period out of bounds is explained, then put right.
    audit_months = page.get_by_label(t("Months to keep the audit trail"), exact=True)
    assert audit_months.input_value() == "84"
    tab_to(page, audit_months)
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    follow(page, page.get_by_role("button", name=t("Save the settings")), check)
    too_short = t("Enter a whole number of months from %(low)s to %(high)s") % {
        "low": 12,
        "high": 900,
    }
    assert too_short in page.locator(".error-summary").inner_text()
    assert audit_months.input_value() == "6"  # what was typed is shown back
    tab_to(page, audit_months)
    page.keyboard.press("Control+A")
    page.keyboard.type("120")
    follow(page, page.get_by_role("button", name=t("Save the settings")), check)
    assert page.locator(".error-summary").count() == 0
    assert audit_months.input_value() == "120"
    db.session.expire_all()
    assert db.session.get(LocalAuthority, la.id).keep_audit_months == 120  # type: ignore[union-attr]
