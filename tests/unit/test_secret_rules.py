"""A new PIN or secret word must be something a child can see and type again.

Rules are checked after normalising (digits of any script are the same digit, case is
ignored), and lengths count only what can be seen.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.domain.credentials import check_new_secret, normalise_secret
from portal.extensions import db
from portal.models import Invitation
from tests import factories


def _problem(typed: str) -> str | None:
    problem = check_new_secret(typed)
    return problem.code if problem else None


@pytest.mark.parametrize(
    "typed",
    [
        "\x00\x00\x00\x00",  # NUL
        "\u200b\u200b\u200b\u200b",  # zero-width spaces
        "12\u200b34",  # a zero-width space inside a PIN
        "\u202e1234",  # right-to-left override
        "abcd\u2066",  # a direction isolate
        "\ufeff1234",  # byte order mark
        "\u00ad1234",  # soft hyphen
        "tiger\x07",  # bell
        "abc\tdef",  # tab
        "ab\u2028cd",  # line separator
        "\u200dabcd",  # a joiner with nothing to join
        "1\u200d2\u200d3\u200d4",  # joiners between digits join nothing
    ],
)
def test_hidden_characters_are_refused(typed: str) -> None:
    assert _problem(typed) == "hidden_characters"


@pytest.mark.parametrize(
    "typed",
    [
        "    ",  # spaces only
        "\u3000\u3000\u3000\u3000",  # ideographic spaces (NFKC makes them spaces)
        "\u00a0\u00a0\u00a0\u00a0",  # no-break spaces
        "\u3164\u3164\u3164\u3164",  # Hangul fillers: letters that show nothing
        "\u2800\u2800\u2800\u2800",  # Braille blanks
        "ab  c",  # spaces inside do not count
        "cat\ufe0f",  # a variation selector does not count
    ],
)
def test_only_what_can_be_seen_counts_towards_the_length(typed: str) -> None:
    assert _problem(typed) == "too_short"


def test_a_short_pin_is_still_told_apart_from_a_short_word() -> None:
    assert _problem("123") == "pin_too_short"
    assert _problem("1 2 3") == "pin_too_short"
    assert _problem("٤٥٦") == "pin_too_short"
    assert _problem("cat") == "too_short"
    assert _problem("x" * 65) == "too_long"


@pytest.mark.parametrize(
    "typed",
    [
        "1234",
        "٤٥٦٧",  # Arabic-Indic digits
        "۴۵۶۷",  # Extended Arabic-Indic (Persian, Urdu) digits
        "४५६७",  # Devanagari digits
        "１２３４",  # full-width digits
        " 4821 ",  # surrounding spaces are ignored
        "Tiger",
        "big dog",
        "ዳዊት ሓጎስ",  # Tigrinya
        "کتاب",  # Persian
        "می\u200cخواهم",  # Persian with the zero-width non-joiner its keyboards type
        "क्\u200dषमा",  # Devanagari with a zero-width joiner after a virama
        "कुत्ता",  # combining vowel signs and viramas count with their letters
    ],
)
def test_real_pins_and_words_in_any_script_are_fine(typed: str) -> None:
    assert _problem(typed) is None


def test_arabic_indic_digits_are_the_same_pin() -> None:
    assert normalise_secret("٤٥٦٧") == normalise_secret("4567") == "4567"


def test_emoji_count_as_one_character_each() -> None:
    # Decided: emoji are fine. A phone keyboard types them and they can be seen; four
    # of them are as hard to guess as a four-letter word.
    assert _problem("🐶🐱🐭🐹") is None
    assert _problem("❤\ufe0f\u200d🔥" * 4) is None  # joined by a zero-width joiner
    assert _problem("🇬🇧🇫🇷🇩🇪🇮🇹") is None
    # However many code points make one, one emoji is one character.
    assert _problem("👨\u200d👩\u200d👧\u200d👦") == "too_short"
    assert _problem("👍🏽👍🏽") == "too_short"
    assert _problem("🇬🇧🇫🇷🇩🇪") == "too_short"


# The same rule through the page (an app test: it needs the client and the database).
def test_a_pin_nobody_can_type_is_refused_and_nothing_is_stored(client) -> None:
    *_, issued = factories.world()
    client.get(f"/i/{issued.link_token}")
    for pin in ("\x00\x00\x00\x00", "\u200b\u200b\u200b\u200b", "\u202e1234"):
        page = client.submit("/sign-in/secret", {"secret": pin, "confirm": pin})
        assert page.status_code == 200
        assert "Your PIN or secret word has a hidden character in it." in page.text
    spaces = client.submit("/sign-in/secret", {"secret": "    ", "confirm": "    "})
    assert "Your secret word must be at least 4 letters" in spaces.text
    invitation = db.session.scalar(select(Invitation).where(Invitation.id == issued.invitation.id))
    assert invitation is not None and invitation.secret_hash is None
    assert client.get("/consultation").headers["Location"].startswith("/sign-in")
