"""Checking and tidying the email addresses and mobile numbers staff type. Plain Python."""

from __future__ import annotations

import re
import unicodedata

MAX_EMAIL_LENGTH = 254

# ASCII only, on purpose: mail servers and GOV.UK Notify cannot all take other
# characters, and a strict shape leaves no room for header tricks (commas, <>, newlines).
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
# What people put between digits: spaces, dashes, dots, brackets, slashes.
_SEPARATORS = re.compile(r"[\s\-./()\u00a0\u2010-\u2015]")


def looks_like_email(text: str) -> bool:
    address = text.strip()
    if len(address) > MAX_EMAIL_LENGTH or ".." in address:
        return False
    local = address.split("@", 1)[0]
    if local.startswith(".") or local.endswith("."):
        return False
    return bool(_EMAIL.match(address))


def normalise_uk_mobile(text: str) -> str | None:
    """A UK mobile number as +447…, or None if it is not one.

    Accepts 07700 900123, +44 7700 900123, 0044 7700 900123, (07700) 900-123 and
    digits from other scripts (٠٧٧٠٠…), as people type them.
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    digits = []
    for position, ch in enumerate(_SEPARATORS.sub("", folded)):
        if ch == "+" and position == 0:
            digits.append("+")
            continue
        value = unicodedata.digit(ch, None)
        if value is None:
            return None
        digits.append(str(value))
    number = "".join(digits)
    if number.startswith("+44"):
        national = number[3:]
    elif number.startswith("0044"):
        national = number[4:]
    elif number.startswith("44") and len(number) == 12:
        national = number[2:]
    elif number.startswith("0"):
        national = number[1:]
    else:
        return None
    national = national.removeprefix("0")  # +44 (0)7700 900123
    if len(national) != 10 or not national.startswith("7"):
        return None
    return "+44" + national
