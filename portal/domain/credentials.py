"""How invited people prove who they are, without anything stored in plain text.

- The personal link carries a long random token; only its SHA-256 is stored
  (it has 256 bits of entropy, so a salt adds nothing).
- The short code is typed or read aloud over the phone. Its alphabet leaves out
  characters that look alike (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G) and letters that
  sound alike when spoken (B/D/P/T/V/E/G/Z). We store a keyed HMAC so it can be
  looked up without being readable.
- The secret (a PIN or a word the child chooses) is hashed with Argon2.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

CODE_ALPHABET = "ACFHJKMNRWXY34679"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 3
MIN_SECRET_LENGTH = 4
MAX_SECRET_LENGTH = 64


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_invitation_code() -> str:
    """A code like ``KX7-M4R-WAC``: 17**9 ≈ 1.2 × 10^11 possibilities."""
    groups = [
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    ]
    return "-".join(groups)


def normalise_code(typed: str) -> str:
    """Accept what people really type: lower case, spaces, dashes, full-width forms."""
    folded = unicodedata.normalize("NFKC", typed).upper()
    return "".join(ch for ch in folded if ch in CODE_ALPHABET)


def code_digest(code: str, key: str) -> str:
    normalised = normalise_code(code)
    return hmac.new(key.encode("utf-8"), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def looks_like_a_code(typed: str) -> bool:
    return len(normalise_code(typed)) == CODE_GROUPS * CODE_GROUP_LENGTH


def normalise_secret(typed: str) -> str:
    """Make the same secret match however it is typed.

    Digits from any script count as the same digit (a child may type ٤٥٦٧ on an
    Arabic keyboard and 4567 on another), words ignore case and surrounding spaces.
    """
    text = unicodedata.normalize("NFKC", typed).strip()
    out = []
    for ch in text:
        digit = unicodedata.digit(ch, None)
        out.append(str(digit) if digit is not None else ch)
    return "".join(out).casefold()


@dataclass(frozen=True)
class SecretProblem:
    code: str  # "too_short" | "too_long" | "pin_too_short"


def check_new_secret(typed: str) -> SecretProblem | None:
    secret = normalise_secret(typed)
    if len(secret) > MAX_SECRET_LENGTH:
        return SecretProblem("too_long")
    if secret.isdigit() and len(secret) < MIN_SECRET_LENGTH:
        return SecretProblem("pin_too_short")
    if len(secret) < MIN_SECRET_LENGTH:
        return SecretProblem("too_short")
    return None


class SecretHasher:
    """Argon2id. Tests pass cheaper parameters; production keeps the library defaults."""

    def __init__(self, *, time_cost: int | None = None, memory_cost: int | None = None) -> None:
        defaults = PasswordHasher()
        self._hasher = PasswordHasher(
            time_cost=time_cost if time_cost is not None else defaults.time_cost,
            memory_cost=memory_cost if memory_cost is not None else defaults.memory_cost,
        )

    def hash(self, secret: str) -> str:
        return self._hasher.hash(normalise_secret(secret))

    def verify(self, stored_hash: str, typed: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, normalise_secret(typed))
        except (VerificationError, InvalidHashError):
            return False

    def hash_password(self, password: str) -> str:
        # Staff passwords are compared exactly: no case folding.
        return self._hasher.hash(password)

    def verify_password(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False


MAX_FAILED_SECRET_ATTEMPTS = 5


def is_locked_after(failed_attempts: int) -> bool:
    return failed_attempts >= MAX_FAILED_SECRET_ATTEMPTS
