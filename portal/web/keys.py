"""The secret keys in use: the current one first, then any earlier ones kept while a
new ``SECRET_KEY`` takes over. Everything keyed is made with the first and checked
against all of them, so rotating the key does not lock anyone out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app


def secret_keys(config: Mapping[str, Any] | None = None) -> list[str]:
    config = current_app.config if config is None else config
    return [config["SECRET_KEY"], *config.get("SECRET_KEY_FALLBACKS", [])]
