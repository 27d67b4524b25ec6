"""Two-factor sign-in for staff: authenticator-app codes (TOTP, RFC 6238) and
one-time recovery codes.

A code is accepted once: the 30-second step it belongs to is remembered, and
only later steps are accepted after it, so a code seen over someone's shoulder
(or replayed from a captured request) is useless. One step either side of now
is allowed for phones whose clocks drift.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from datetime import datetime

import pyotp

from portal.domain import credentials
from portal.domain.credentials import CODE_ALPHABET

STEP_SECONDS = 30
CODE_DIGITS = 6
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_GROUP_LENGTH = 5


def new_secret() -> str:
    """160 random bits, base32 as authenticator apps expect."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def normalise_code(typed: str) -> str:
    """Digits from any script, with spaces and dashes ignored."""
    out = []
    for ch in unicodedata.normalize("NFKC", typed):
        digit = unicodedata.digit(ch, None)
        if digit is not None:
            out.append(str(digit))
        elif not (ch.isspace() or ch == "-"):
            out.append(ch)
    return "".join(out)


def looks_like_a_code(typed: str) -> bool:
    code = normalise_code(typed)
    return len(code) == CODE_DIGITS and code.isascii() and code.isdigit()


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).at(step * STEP_SECONDS)


def accepted_step(secret: str, typed: str, now: datetime, last_step: int | None) -> int | None:
    """The step a good, unused code belongs to; None for a wrong or replayed code."""
    if not looks_like_a_code(typed):
        return None
    code = normalise_code(typed)
    current = step_at(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Codes like ``H7KXM-4RWCA``: about 41 bits each, and each works once."""
    return [
        "-".join(
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
            for _ in range(2)
        )
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def recovery_code_digest(code: str, key: str) -> str:
    # The same alphabet, folding and keyed HMAC as invitation codes.
    return credentials.code_digest(code, key)


def looks_like_a_recovery_code(typed: str) -> bool:
    return len(credentials.normalise_code(typed)) == 2 * RECOVERY_GROUP_LENGTH
