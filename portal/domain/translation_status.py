"""Each language's translation status, in one place (translations/status.json): a draft
until a qualified translator checks it; checked by whom, when, and for which version of
the English (portal.domain.translation_pack.text_version)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

DRAFT = "draft"
CHECKED = "checked"


@dataclass(frozen=True)
class TranslationStatus:
    status: str = DRAFT
    checked_by: str = ""
    checked_on: str = ""  # ISO date
    text_version: str = ""  # the English it was checked against

    def is_current(self, version: str) -> bool:
        """Checked, and for the English the pages use now."""
        return self.status == CHECKED and self.text_version == version


def load(path: Path) -> dict[str, TranslationStatus]:
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {code: TranslationStatus(**entry) for code, entry in sorted(raw.items())}


def save(path: Path, statuses: dict[str, TranslationStatus]) -> None:
    data = {code: asdict(status) for code, status in sorted(statuses.items())}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def after_reading_a_pack(checked_by: str, version: str, today: date) -> TranslationStatus:
    """A pack read back with a translator's name is a check of this version; without one,
    the language is (still) a draft."""
    if checked_by.strip():
        return TranslationStatus(CHECKED, checked_by.strip()[:100], today.isoformat(), version)
    return TranslationStatus(DRAFT, "", "", version)
