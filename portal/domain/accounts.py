"""Rules for staff accounts and for who may cover an absent IRO. Plain Python, no Flask."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

# Letters and digits that cannot be mistaken for one another when read aloud or
# copied by hand: no 0/O/o, 1/I/l, 2/Z, 5/S, 8/B, 6/G.
PASSWORD_ALPHABET = "abcdefhjkmnprstuvwxyACDEFHJKLMNPRTUVWXY3479"  # noqa: S105 - an alphabet
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 5

MAX_EMAIL_LENGTH = 254
# Deliberately simple: one @, something before it, a dotted domain after it, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE_CHARACTERS = re.compile(r"^[0-9 +()\-.]+$")
MIN_PHONE_DIGITS = 6
MAX_PHONE_DIGITS = 15  # the longest number the international plan allows

ROLES_WHO_MAY_COVER = ("iro", "manager")


def new_initial_password() -> str:
    """A password like ``Kd4mx-7RpWa-...``: 20 characters from 43, about 108 bits."""
    groups = [
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    ]
    return "-".join(groups)


def normalise_email(typed: str) -> str:
    return typed.strip().lower()


def looks_like_email(text: str) -> bool:
    return len(text) <= MAX_EMAIL_LENGTH and _EMAIL.match(text) is not None


def looks_like_phone(text: str) -> bool:
    """Digits with the separators people type (spaces, +, brackets, dashes, dots)."""
    if not _PHONE_CHARACTERS.match(text):
        return False
    digits = sum(ch.isdigit() for ch in text)
    return MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS


def is_locked_out(failed_sign_ins: int, limit: int) -> bool:
    return failed_sign_ins >= limit


@dataclass(frozen=True)
class Colleague:
    """What the cover rule needs to know about a member of staff."""

    id: int
    local_authority_id: int
    role: str
    active: bool
    away: bool


def may_cover(candidate: Colleague, absent: Colleague) -> bool:
    """Whether ``candidate`` may take on ``absent``'s children while they are away."""
    return (
        candidate.id != absent.id
        and candidate.local_authority_id == absent.local_authority_id
        and candidate.active
        and not candidate.away
        and candidate.role in ROLES_WHO_MAY_COVER
    )
