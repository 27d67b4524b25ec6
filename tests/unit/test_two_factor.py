from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from portal.domain import two_factor

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 23, 10, 0, 15, tzinfo=UTC)


def test_the_code_the_app_shows_now_is_accepted_once() -> None:
    code = pyotp.TOTP(SECRET).at(NOW)
    step = two_factor.accepted_step(SECRET, code, NOW, last_step=None)
    assert step == two_factor.step_at(NOW)
    # Replaying it, even a second later, fails.
    assert two_factor.accepted_step(SECRET, code, NOW + timedelta(seconds=1), step) is None


def test_one_step_of_clock_drift_either_way_is_allowed_but_not_two() -> None:
    totp = pyotp.TOTP(SECRET)
    assert two_factor.accepted_step(SECRET, totp.at(NOW - timedelta(seconds=30)), NOW, None)
    assert two_factor.accepted_step(SECRET, totp.at(NOW + timedelta(seconds=30)), NOW, None)
    assert two_factor.accepted_step(SECRET, totp.at(NOW - timedelta(seconds=60)), NOW, None) is None


def test_an_older_code_cannot_be_used_after_a_newer_one() -> None:
    totp = pyotp.TOTP(SECRET)
    newer = two_factor.accepted_step(SECRET, totp.at(NOW), NOW, None)
    older = totp.at(NOW - timedelta(seconds=30))
    assert two_factor.accepted_step(SECRET, older, NOW, newer) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x", "１２３"])
def test_malformed_codes_are_refused(typed: str) -> None:
    assert two_factor.accepted_step(SECRET, typed, NOW, None) is None


def test_codes_typed_with_spaces_or_arabic_indic_digits_are_read_as_digits() -> None:
    code = pyotp.TOTP(SECRET).at(NOW)
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert two_factor.accepted_step(SECRET, arabic, NOW, None) is not None
    spaced = f"{code[:3]} {code[3:]}"
    assert two_factor.accepted_step(SECRET, spaced, NOW, None) is not None


def test_recovery_codes_are_distinct_and_match_however_typed() -> None:
    codes = two_factor.new_recovery_codes()
    assert len(set(codes)) == two_factor.RECOVERY_CODE_COUNT
    first = codes[0]
    digest = two_factor.recovery_code_digest(first, "key")
    assert two_factor.recovery_code_digest(f" {first.lower().replace('-', ' ')} ", "key") == digest
    assert two_factor.recovery_code_digest(first, "other key") != digest
    assert two_factor.looks_like_a_recovery_code(first)
    assert not two_factor.looks_like_a_recovery_code("123456")


def test_provisioning_uri_names_the_issuer_and_account() -> None:
    uri = two_factor.provisioning_uri(SECRET, "jo@example.org", "Your Voice")
    assert uri.startswith("otpauth://totp/")
    assert "issuer=Your%20Voice" in uri and f"secret={SECRET}" in uri
    assert two_factor.grouped("ABCDEFGH") == "ABCD EFGH"
