"""The secret keys in use: the current one first, then any earlier ones kept while a
new ``SECRET_KEY`` takes over. Everything keyed is made with the first and checked
against all of them, so rotating the key does not lock anyone out."""

from __future__ import annotations

from flask import current_app


def secret_keys() -> list[str]:
    return [current_app.config["SECRET_KEY"], *current_app.config.get("SECRET_KEY_FALLBACKS", [])]
