"""Rules behind administration and the audit trail's search: plain Python."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.domain import accounts
from portal.domain.audit_search import (
    MAX_PAGE,
    AuditSearch,
    days_in_order,
    page_number,
    parse_day,
    parse_record_number,
    period_bounds,
)
from portal.domain.authority_settings import (
    changed_fields,
    enabled_language_codes,
    enabled_languages_value,
)

LONDON = ZoneInfo("Europe/London")


def test_initial_passwords_are_long_random_and_easy_to_read_out() -> None:
    made = {accounts.new_initial_password() for _ in range(200)}
    assert len(made) == 200
    for password in made:
        groups = password.split("-")
        assert len(groups) == accounts.PASSWORD_GROUPS
        assert all(len(g) == accounts.PASSWORD_GROUP_LENGTH for g in groups)
        assert set(password.replace("-", "")) <= set(accounts.PASSWORD_ALPHABET)
    assert not set("0O1Il2Z5S8B6G") & set(accounts.PASSWORD_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("jo.iro@eastwold.example", True),
        ("a@b.co", True),
        ("jo@localhost", False),
        ("jo iro@eastwold.example", False),
        ("jo@@eastwold.example", False),
        ("@eastwold.example", False),
        ("jo@eastwold.", False),
        ("x" * 250 + "@a.example", False),
    ],
)
def test_email_addresses(typed: str, ok: bool) -> None:
    assert accounts.looks_like_email(typed) is ok


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("01632 960 000", True),
        ("+44 (0)1632 960000", True),
        ("0800-1111", True),
        ("999", False),
        ("call me", False),
        ("٠١٦٣٢٩٦٠٠٠٠", False),  # Arabic-Indic digits: not what a dialler takes
        ("1" * 16, False),
    ],
)
def test_phone_numbers(typed: str, ok: bool) -> None:
    assert accounts.looks_like_phone(typed) is ok


def test_emails_are_compared_in_lower_case() -> None:
    assert accounts.normalise_email("  Jo.IRO@Eastwold.Example ") == "jo.iro@eastwold.example"


def test_locked_out_at_the_limit() -> None:
    assert not accounts.is_locked_out(9, 10)
    assert accounts.is_locked_out(10, 10)


def _colleague(**changes: object) -> accounts.Colleague:
    values: dict[str, object] = {
        "id": 2,
        "local_authority_id": 1,
        "role": "iro",
        "active": True,
        "away": False,
    }
    values.update(changes)
    return accounts.Colleague(**values)  # type: ignore[arg-type]


def test_who_may_cover() -> None:
    absent = _colleague(id=1, away=True)
    assert accounts.may_cover(_colleague(), absent)
    assert accounts.may_cover(_colleague(role="manager"), absent)
    assert not accounts.may_cover(_colleague(role="administrator"), absent)
    assert not accounts.may_cover(_colleague(id=1), absent)
    assert not accounts.may_cover(_colleague(away=True), absent)
    assert not accounts.may_cover(_colleague(active=False), absent)
    assert not accounts.may_cover(_colleague(local_authority_id=9), absent)


def test_english_always_leads_the_enabled_languages() -> None:
    order = ["en_GB", "ar", "ti", "fa"]
    assert enabled_languages_value([], order=order, always="en_GB") == "en_GB"
    assert enabled_languages_value(["ti", "ar"], order=order, always="en_GB") == "en_GB ar ti"
    assert enabled_languages_value(["xx"], order=order, always="en_GB") == "en_GB"
    kept = enabled_languages_value(["ar"], order=[*order, "fa"], always="en_GB", keep=["fa"])
    assert kept == "en_GB ar fa"
    assert enabled_language_codes("en_GB ar ar ti") == ["en_GB", "ar", "ti"]


def test_changed_fields_names_only_what_changed() -> None:
    before = {"service_name": "A", "iro_team_phone": "1", "sms_sender": "none"}
    after = {"service_name": "A", "iro_team_phone": "2", "sms_sender": "notify"}
    assert changed_fields(before, after) == ["iro_team_phone", "sms_sender"]
    assert changed_fields(before, before) == []


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("29/2/2024", date(2024, 2, 29)),
        (" 01.05.2024 ", date(2024, 5, 1)),
        ("2023-02-29", None),
        ("31/04/2024", None),
        ("2024-13-01", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("99999-01-01", None),
        ("٢٠٢٤-٠١-٠١", None),
        ("tomorrow", None),
        ("", None),
    ],
)
def test_parsing_days(typed: str, day: date | None) -> None:
    assert parse_day(typed) == day


def test_a_period_is_whole_days_in_local_time() -> None:
    # 31 March 2024: the clocks went forward in the UK at 01:00 UTC.
    start, end = period_bounds(date(2024, 3, 31), date(2024, 3, 31), LONDON)
    assert start == datetime(2024, 3, 31, 0, 0, tzinfo=UTC)
    assert end == datetime(2024, 3, 31, 23, 0, tzinfo=UTC)
    summer_start, _ = period_bounds(date(2024, 6, 16), None, LONDON)
    assert summer_start == datetime(2024, 6, 15, 23, 0, tzinfo=UTC)
    assert period_bounds(None, None, LONDON) == (None, None)
    # The last day a search allows still has an end.
    _, last = period_bounds(None, date(2999, 12, 31), LONDON)
    assert last is not None


def test_days_in_order() -> None:
    assert days_in_order(date(2024, 1, 1), date(2024, 1, 1))
    assert days_in_order(None, date(2024, 1, 1))
    assert not days_in_order(date(2024, 1, 2), date(2024, 1, 1))


@pytest.mark.parametrize(
    ("typed", "number"),
    [("42", 42), (" 7 ", 7), ("0", None), ("-3", None), ("2147483648", None), ("١٢", None)],
)
def test_record_numbers(typed: str, number: int | None) -> None:
    assert parse_record_number(typed) == number


def test_page_numbers() -> None:
    assert page_number(None) == 1
    assert page_number(-2) == 1
    assert page_number(3) == 3
    assert page_number(10**30) == MAX_PAGE


def test_a_search_describes_itself_with_codes_only() -> None:
    assert AuditSearch().describe() == ""
    described = AuditSearch(staff_user_id=3, action="denied", from_day=date(2024, 1, 2)).describe()
    assert described == "staff=3 action=denied from=2024-01-02"
