"""Secrets the portal has to read back, sealed before they are stored.

An authenticator app's shared key cannot be hashed like a password: the server needs
it to work out the code the app shows. So it is encrypted (Fernet: AES-128-CBC with an
HMAC-SHA256 tag) with a key derived from ``SECRET_KEY``, and a copy of the database
alone is not enough to make codes for anyone.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Changing this would make every stored secret unreadable.
_PURPOSE = b"participation-portal: sealed secrets at rest"


class UnreadableSecret(RuntimeError):
    """A sealed value that this key did not seal, or that was altered."""


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
            secret_key.encode("utf-8")
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as error:
            raise UnreadableSecret(
                "A sealed secret cannot be opened: SECRET_KEY has changed since it was stored."
            ) from error
