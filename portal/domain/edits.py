"""Two tabs, one page: noticing that a page changed since it was opened.

A child may open the same page of their consultation in two tabs (or on a phone and
a laptop), save it in one, then in the other. The second save must not silently
overwrite the first. Each page carries a fingerprint of the answers it was drawn
with; a save whose fingerprint no longer matches what is stored, and whose answers
differ from what is stored, is a clash the child must settle. Pressing a button
twice sends the same answers twice: that is no clash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping


def fingerprint(answers: Mapping[str, str | None]) -> str:
    """A short, stable digest of one page's stored answers (empty answers left out)."""
    kept = {key: value for key, value in sorted(answers.items()) if value}
    encoded = json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:32]


def clashes(
    seen: str | None,
    stored: Mapping[str, str | None],
    posted: Mapping[str, str | None],
) -> bool:
    """True when the page was saved elsewhere since it was drawn, with other answers.

    ``seen`` is the fingerprint the page was drawn with; a page from before this rule
    (no fingerprint) is trusted, as it always was.
    """
    if not seen or seen == fingerprint(stored):
        return False
    return fingerprint(posted) != fingerprint(stored)
