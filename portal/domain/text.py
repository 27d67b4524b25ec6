"""Keep what people write, minus the bytes that would break storage or display."""

from __future__ import annotations

import re

# C0 controls (NUL included) and DEL, but not tab and newline: PostgreSQL rejects NUL
# in text, and the others never come from a keyboard.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_answer_text(value: str | None) -> str:
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def has_direction_controls(text: str) -> bool:
    """Bidi overrides and isolates are kept as written, but staff are told they are there."""
    return any(ch in _BIDI_CONTROLS for ch in text)
