"""docs/data.md has an entry for every table, and none for a table that has gone."""

from __future__ import annotations

import re
from pathlib import Path

from portal import models  # noqa: F401 - registers every table on the metadata
from portal.extensions import db

DATA_MAP = Path(__file__).resolve().parents[2] / "docs" / "data.md"


def _table_headings(text: str) -> list[str]:
    """The level-3 headings in the "Tables" section, without their backticks."""
    section = re.search(r"^## Tables\n(.*?)(?=^## )", text, flags=re.MULTILINE | re.DOTALL)
    assert section, "docs/data.md has no “## Tables” section"
    return [
        heading.strip().strip("`")
        for heading in re.findall(r"^### (.+)$", section.group(1), flags=re.MULTILINE)
    ]


def test_every_table_has_an_entry_in_the_data_map() -> None:
    described = _table_headings(DATA_MAP.read_text(encoding="utf-8"))
    tables = [table.name for table in db.metadata.sorted_tables]
    missing = sorted(set(tables) - set(described))
    assert missing == [], f"describe these tables in docs/data.md: {missing}"
    gone = sorted(set(described) - set(tables))
    assert gone == [], f"docs/data.md describes tables that do not exist: {gone}"
    assert len(described) == len(set(described)), "a table is described twice"


def test_each_entry_says_what_it_holds_why_who_sees_it_and_how_long() -> None:
    text = DATA_MAP.read_text(encoding="utf-8")
    entries = re.split(r"^### ", text.split("\n## Tables\n", 1)[1].split("\n## ", 1)[0], flags=re.M)
    for entry in entries[1:]:
        name = entry.splitlines()[0]
        for part in ("**Holds**", "**Why**", "**Who sees it**", "**Kept**"):
            assert part in entry, f"{name} does not say {part}"


def test_the_retention_settings_are_all_in_the_data_map() -> None:
    from portal.data.retention import RETENTION_FIELDS

    text = DATA_MAP.read_text(encoding="utf-8")
    for name in RETENTION_FIELDS:
        assert f"`{name}`" in text, name
