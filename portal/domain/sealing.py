"""Secrets the portal has to read back, sealed before they are stored.

An authenticator app's shared key cannot be hashed like a password: the server needs
it to work out the code the app shows. So it is encrypted (Fernet: AES-128-CBC with an
HMAC-SHA256 tag) with a key derived from ``SECRET_KEY``, and a copy of the database
alone is not enough to make codes for anyone. Values are sealed with the current key
and opened with it or any key in ``SECRET_KEY_FALLBACKS``, so the key can be rotated;
``flask --app portal reseal-secrets`` then reseals everything with the new key.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Changing this would make every stored secret unreadable.
_PURPOSE = b"participation-portal: sealed secrets at rest"


class UnreadableSecret(RuntimeError):
    """A sealed value that this key did not seal, or that was altered."""


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


class SecretBox:
    def __init__(self, secret_keys: Sequence[str]) -> None:
        """The current key first, then earlier keys that may have sealed stored values."""
        if not secret_keys:
            raise ValueError("at least one secret key is needed")
        self._fernet = MultiFernet([_fernet(key) for key in secret_keys])

    def seal(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as error:
            raise UnreadableSecret(
                "A sealed secret cannot be opened: SECRET_KEY has changed since it was stored "
                "and the key it was sealed with is not in SECRET_KEY_FALLBACKS."
            ) from error
