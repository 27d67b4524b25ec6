"""`make translation-pack LANG=ps` and reading it back, as a translator's pack travels:
out to a spreadsheet, filled in, back with every row checked and the status recorded."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def translations(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy)
    monkeypatch.setitem(app.config, "BABEL_TRANSLATION_DIRECTORIES", str(copy))
    return copy


def _pack(app: Flask, tmp_path: Path) -> list[list[str]]:
    out = tmp_path / "ps.csv"
    result = app.test_cli_runner().invoke(
        args=["translation-pack", "--language", "ps", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith("\ufeff".encode())
    with out.open(encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(rows)


def _translation(translations: Path, english: str) -> object:
    with (translations / "ps" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return next(m.string for m in read_po(handle) if m.id == english)


def test_a_checked_pack_updates_the_catalogue_and_the_status(
    app: Flask, translations: Path, tmp_path: Path
) -> None:
    rows = _pack(app, tmp_path)
    row = next(r for r in rows[2:] if r[2] == "Continue")
    row[3] = "ادامه ورکړئ"
    rows[1][3] = "Zarmina Translator"
    filled = tmp_path / "filled.csv"
    _write(filled, rows)
    result = app.test_cli_runner().invoke(
        args=["read-translation-pack", "--language", "ps", str(filled)]
    )
    assert result.exit_code == 0, result.output
    assert "checked by Zarmina Translator" in result.output
    assert _translation(translations, "Continue") == "ادامه ورکړئ"
    status = json.loads((translations / "status.json").read_text())["ps"]
    assert status["status"] == "checked" and status["checked_by"] == "Zarmina Translator"
    assert status["checked_on"] and status["text_version"]


def test_a_pack_with_a_dropped_placeholder_changes_nothing_and_names_the_row(
    app: Flask, translations: Path, tmp_path: Path
) -> None:
    rows = _pack(app, tmp_path)
    before = _translation(translations, "Continue")
    number, row = next((i, r) for i, r in enumerate(rows, 1) if "%(name)s" in r[2] and r[3])
    row[3] = row[3].replace("%(name)s", "")
    next(r for r in rows[2:] if r[2] == "Continue")[3] = "بل څه"
    bad = tmp_path / "bad.csv"
    _write(bad, rows)
    result = app.test_cli_runner().invoke(
        args=["read-translation-pack", "--language", "ps", str(bad)]
    )
    assert result.exit_code != 0
    assert f"Row {number}: it must keep %(name)s." in result.output
    assert _translation(translations, "Continue") == before  # not even the good row
    assert json.loads((translations / "status.json").read_text())["ps"]["status"] == "draft"


def test_an_unknown_language_is_refused_plainly(app: Flask, translations: Path) -> None:
    result = app.test_cli_runner().invoke(args=["translation-pack", "--language", "xx"])
    assert result.exit_code != 0 and "is not one of the portal's languages" in result.output
