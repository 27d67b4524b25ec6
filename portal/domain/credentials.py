"""How invited people prove who they are, without anything stored in plain text.

- The personal link carries a long random token; only its SHA-256 is stored
  (it has 256 bits of entropy, so a salt adds nothing).
- The short code is typed or read aloud over the phone. Its alphabet leaves out
  characters that look alike (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G) and letters that
  sound alike when spoken (B/D/P/T/V/E/G/Z). We store a keyed HMAC so it can be
  looked up without being readable.
- The secret (a PIN or a word the child chooses) is keyed with a server-side key and
  hashed with Argon2 (see SecretHasher for why, and for the parameters).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import unicodedata
from collections.abc import Sequence
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


# Characters that show nothing, whatever their Unicode category says: Hangul fillers
# (letters), variation selectors and the combining grapheme joiner (marks), the Braille
# blank. Control (Cc) and format (Cf) characters are refused outright (see below).
_BLANK = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))
)
# Zero-width non-joiner and joiner: part of how Persian, Indic scripts and emoji are
# written, so allowed between two such characters (as in می‌خواهم or 👩‍💻), nowhere else.
ZWJ = "\u200d"
_JOINERS = frozenset("\u200c" + ZWJ)
_SKIN_TONES = ("\U0001f3fb", "\U0001f3ff")
_FLAG_LETTERS = ("\U0001f1e6", "\U0001f1ff")  # regional indicators, two to a flag


# Never typed, never seen: controls (NUL, tab...), lone surrogates, line and paragraph
# separators. Format characters (Cf) too, but for the joiners above.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _shows(ch: str) -> bool:
    """Whether a character leaves a mark on the screen: spaces and blanks do not.

    Unassigned (Cn) and private-use (Co) characters count: an emoji newer than Python's
    Unicode tables is unassigned to it.
    """
    category = unicodedata.category(ch)
    if ch.isspace() or ch in _BLANK:
        return False
    return category[0] not in "CZ" or category in ("Cn", "Co")


def _joinable(ch: str) -> bool:
    """A letter, mark or symbol (emoji) of a script a joiner can sit in."""
    category = unicodedata.category(ch)
    return not ch.isascii() and (category[0] in "LMS" or category == "Cn")


def has_hidden_characters(secret: str) -> bool:
    """Control or format characters: NUL, zero-width spaces, direction overrides...

    Nobody can see them or type them again on another device. Joiners are allowed
    only inside a word or emoji that needs them.
    """
    for i, ch in enumerate(secret):
        category = unicodedata.category(ch)
        if category in _HIDDEN_CATEGORIES:
            return True
        if category == "Cf":
            if ch not in _JOINERS or i == 0 or i == len(secret) - 1:
                return True
            if not (_joinable(secret[i - 1]) and _joinable(secret[i + 1])):
                return True
    return False


def _visible_characters(secret: str) -> list[str]:
    """What can be seen, one entry per emoji however many code points make it.

    A skin tone, a picture joined on by a zero-width joiner (👩‍💻) and the second half
    of a flag (🇬🇧) belong to the emoji before them.
    """
    seen: list[str] = []
    half_flag = False
    for i, ch in enumerate(secret):
        if not _shows(ch) or _SKIN_TONES[0] <= ch <= _SKIN_TONES[1]:
            continue
        if i > 0 and secret[i - 1] == ZWJ and unicodedata.category(ch) == "So":
            continue
        flag_letter = _FLAG_LETTERS[0] <= ch <= _FLAG_LETTERS[1]
        half_flag = flag_letter and not half_flag
        if flag_letter and not half_flag:
            continue
        seen.append(ch)
    return seen


@dataclass(frozen=True)
class SecretProblem:
    code: str  # "too_short" | "too_long" | "pin_too_short" | "hidden_characters"


def check_new_secret(typed: str) -> SecretProblem | None:
    """After normalising (see normalise_secret); lengths count what can be seen.

    Emoji count like letters: a phone's keyboard types them, and they can be seen.
    """
    secret = normalise_secret(typed)
    if len(secret) > MAX_SECRET_LENGTH:
        return SecretProblem("too_long")
    if has_hidden_characters(secret):
        return SecretProblem("hidden_characters")
    visible = _visible_characters(secret)
    if len(visible) < MIN_SECRET_LENGTH:
        is_pin = bool(visible) and all(ch.isdigit() for ch in visible)
        return SecretProblem("pin_too_short" if is_pin else "too_short")
    return None


# How PINs and secret words are stored, and why the hash is not what protects them.
#
# A PIN has 4 digits: 10,000 possibilities. No hash cost can protect that on its own: at
# argon2-cffi's defaults (~150-190 ms of CPU here) someone holding a copy of the database
# tries all 10,000 in half an hour on one core. What protects a PIN is:
#
# 1. the lockout: five wrong tries lock the invitation (MAX_FAILED_SECRET_ATTEMPTS), and
#    failed tries are rate-limited per device and per address (families/sign_in);
# 2. a server-side key (a "pepper"): the PIN goes through HMAC-SHA256 keyed with a key
#    derived from SECRET_KEY before Argon2, so a stolen database alone does not let
#    anyone try PINs at all; they would need the key too, which is not in the database.
#
# So the Argon2 cost for PINs and words is OWASP's minimum for Argon2id (Password
# Storage Cheat Sheet: m=19 MiB, t=2, p=1), about 20 ms of CPU here instead of ~170:
# enough to be a real password hash if the key leaked with the database, cheap enough
# that a class signing in at once does not queue everyone else's pages behind it.
# Staff passwords are chosen by adults, may be reused elsewhere and guard every child's
# record: they keep argon2-cffi's stronger defaults (RFC 9106's low-memory choice,
# t=3, m=64 MiB, p=4), without a pepper.
#
# Hashing holds a thread for its whole duration. argon2-cffi releases the GIL while it
# hashes, so other threads of the same worker go on serving pages, but a burst of
# sign-ins could still take every thread: at most CONCURRENT_HASHES run at once in a
# process (the others wait their turn), so a worker always has threads for pages.
PIN_TIME_COST = 2
PIN_MEMORY_COST = 19 * 1024  # KiB: 19 MiB
PIN_PARALLELISM = 1
CONCURRENT_HASHES = 1
# Marks a stored hash whose input was keyed with the pepper. Hashes from before it (plain
# Argon2 of the secret, argon2-cffi's defaults) still verify, and are replaced with a
# peppered one at the next successful sign-in.
PEPPERED = "$hmac-sha256"
_PEPPER_LABEL = b"portal.credentials.secret-pepper.v1"


@dataclass(frozen=True)
class Verified:
    """Whether the secret was right, and what to store instead, if anything."""

    ok: bool
    replacement: str | None = None


class SecretHasher:
    """Argon2id for invited people's secrets (keyed, cheap) and staff passwords (strong).

    ``pepper_keys`` are the service's secret keys, current first (SECRET_KEY, then any
    SECRET_KEY_FALLBACKS): secrets are keyed with the first and checked against each.
    Without keys (some unit tests) secrets are hashed without a pepper. Tests pass
    ``time_cost`` and ``memory_cost`` to make every hash cheap.
    """

    def __init__(
        self,
        *,
        time_cost: int | None = None,
        memory_cost: int | None = None,
        pepper_keys: Sequence[str] = (),
        concurrent_hashes: int = CONCURRENT_HASHES,
    ) -> None:
        strong = PasswordHasher()
        self._secret_hasher = PasswordHasher(
            time_cost=time_cost if time_cost is not None else PIN_TIME_COST,
            memory_cost=memory_cost if memory_cost is not None else PIN_MEMORY_COST,
            parallelism=PIN_PARALLELISM,
        )
        self._password_hasher = PasswordHasher(
            time_cost=time_cost if time_cost is not None else strong.time_cost,
            memory_cost=memory_cost if memory_cost is not None else strong.memory_cost,
            parallelism=strong.parallelism,
        )
        self._peppers = [
            hmac.new(key.encode("utf-8"), _PEPPER_LABEL, hashlib.sha256).digest()
            for key in pepper_keys
        ]
        self._turns = threading.BoundedSemaphore(concurrent_hashes)

    @property
    def secret_parameters(self) -> str:
        h = self._secret_hasher
        return f"m={h.memory_cost} KiB, t={h.time_cost}, p={h.parallelism}"

    @property
    def password_parameters(self) -> str:
        h = self._password_hasher
        return f"m={h.memory_cost} KiB, t={h.time_cost}, p={h.parallelism}"

    def _keyed(self, pepper: bytes, secret: str) -> str:
        return hmac.new(
            pepper, normalise_secret(secret).encode("utf-8"), hashlib.sha256
        ).hexdigest()

    def hash(self, secret: str) -> str:
        if not self._peppers:
            with self._turns:
                return self._secret_hasher.hash(normalise_secret(secret))
        with self._turns:
            return PEPPERED + self._secret_hasher.hash(self._keyed(self._peppers[0], secret))

    def verify(self, stored_hash: str, typed: str) -> bool:
        return self.verify_and_update(stored_hash, typed).ok

    def verify_and_update(self, stored_hash: str, typed: str) -> Verified:
        """Check a secret; when right, say what to store instead if the stored hash is old
        (no pepper, an earlier key, other parameters)."""
        if stored_hash.startswith(PEPPERED + "$"):
            encoded = stored_hash[len(PEPPERED) :]
            for position, pepper in enumerate(self._peppers):
                if self._check(self._secret_hasher, encoded, self._keyed(pepper, typed)):
                    stale = position > 0 or self._secret_hasher.check_needs_rehash(encoded)
                    return Verified(True, self.hash(typed) if stale else None)
            return Verified(False)
        if not self._check(self._secret_hasher, stored_hash, normalise_secret(typed)):
            return Verified(False)
        stale = bool(self._peppers) or self._secret_hasher.check_needs_rehash(stored_hash)
        return Verified(True, self.hash(typed) if stale else None)

    def _check(self, hasher: PasswordHasher, encoded: str, value: str) -> bool:
        try:
            with self._turns:
                return hasher.verify(encoded, value)
        except (VerificationError, InvalidHashError):
            return False

    def hash_password(self, password: str) -> str:
        # Staff passwords are compared exactly: no case folding.
        with self._turns:
            return self._password_hasher.hash(password)

    def verify_password(self, stored_hash: str, password: str) -> bool:
        return self._check(self._password_hasher, stored_hash, password)


MAX_FAILED_SECRET_ATTEMPTS = 5


def is_locked_after(failed_attempts: int) -> bool:
    return failed_attempts >= MAX_FAILED_SECRET_ATTEMPTS
