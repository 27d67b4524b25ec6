"""A translator's pack: written, filled in a spreadsheet, read back with every
placeholder and mark checked, and nothing read if any row is wrong."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from babel.messages.catalog import Catalog

from portal.domain import translation_pack as pack
from portal.domain import translation_status as status


def _catalog() -> Catalog:
    catalog = Catalog(locale="pl")
    catalog.add("Hello %(name)s", "")
    catalog.add("Start a heading with ##. Put **two stars** round words.", "")
    catalog.add(("%(num)d letter", "%(num)d letters"), ("", "", ""))
    catalog.add("Staff only", "Tylko personel")
    return catalog


PUBLIC = {"Hello %(name)s": ["templates/families/x.html"], "%(num)d letter": ["a.html"]}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _fill(text: str, answers: dict[tuple[str, str], str], checked_by: str = "") -> str:
    rows = _rows(text)
    for row in rows[1:]:
        if row[0] == pack.CHECKED_BY_KEY:
            row[3] = checked_by
        elif (row[2], row[1]) in answers:
            row[3] = answers[(row[2], row[1])]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return "\ufeff" + out.getvalue()


def test_the_pack_lists_every_message_with_who_reads_it_and_what_to_keep() -> None:
    text = pack.write_pack(_catalog(), language="pl", public=PUBLIC)
    assert text.startswith("\ufeff")
    rows = _rows(text)
    assert tuple(rows[0]) == pack.COLUMNS and rows[1][0] == pack.CHECKED_BY_KEY
    hello = next(r for r in rows if r[2] == "Hello %(name)s")
    assert hello[4] == "children and families" and hello[6] == "%(name)s"
    assert hello[5] == "templates/families/x.html"
    assert [r[1] for r in rows if r[2] in ("%(num)d letter", "%(num)d letters")] == [
        "plural form 1 of 3",
        "plural form 2 of 3",
        "plural form 3 of 3",
    ]
    staff = next(r for r in rows if r[2] == "Staff only")
    assert staff[3] == "Tylko personel" and staff[4] == "staff"


def test_a_filled_pack_is_read_back_into_the_catalogue_and_the_status() -> None:
    catalog = _catalog()
    text = pack.write_pack(catalog, language="pl", public=PUBLIC)
    filled = _fill(
        text,
        {
            ("Hello %(name)s", ""): "Cześć %(name)s",
            ("%(num)d letter", "plural form 1 of 3"): "%(num)d list",
            ("%(num)d letters", "plural form 2 of 3"): "%(num)d listy",
            ("%(num)d letters", "plural form 3 of 3"): "%(num)d listów",
        },
        checked_by="Ola Tłumacz",
    )
    reading = pack.read_pack(filled, catalog, language="pl")
    assert reading.problems == [] and reading.checked_by == "Ola Tłumacz"
    assert pack.apply(reading, catalog) == 2
    assert catalog.get("Hello %(name)s").string == "Cześć %(name)s"
    assert catalog.get("%(num)d letter").string == (
        "%(num)d list",
        "%(num)d listy",
        "%(num)d listów",
    )
    checked = status.after_reading_a_pack(reading.checked_by, "v1", date(2026, 11, 29))
    assert checked.is_current("v1") and not checked.is_current("v2")
    assert not status.after_reading_a_pack("", "v1", date(2026, 11, 29)).is_current("v1")


def test_a_dropped_placeholder_or_broken_mark_is_refused_with_its_row() -> None:
    catalog = _catalog()
    text = pack.write_pack(catalog, language="pl", public=PUBLIC)
    filled = _fill(
        text,
        {
            ("Hello %(name)s", ""): "Cześć",
            (
                "Start a heading with ##. Put **two stars** round words.",
                "",
            ): "Nagłówek #. Dwie *gwiazdki*.",
            ("%(num)d letters", "plural form 2 of 3"): "%(count)d listy",
        },
    )
    reading = pack.read_pack(filled, catalog, language="pl")
    rows = _rows(filled)

    def row_of(english: str, form: str = "") -> int:
        return next(i for i, r in enumerate(rows, start=1) if r[2] == english and r[1] == form)

    expected = [
        f"Row {row_of('%(num)d letters', 'plural form 2 of 3')}: it must keep %(num)d "
        "and it has %(count)d, which the English does not.",
        f"Row {row_of('Hello %(name)s')}: it must keep %(name)s.",
        f"Row {row_of('Start a heading with ##. Put **two stars** round words.')}: "
        "keep the marks exactly as in the English (## **).",
    ]
    assert sorted(reading.problems) == sorted(expected)
    with pytest.raises(ValueError, match="not read back"):
        pack.apply(reading, catalog)  # not even the good rows, while any row is wrong


def test_a_pack_with_its_columns_changed_or_an_unknown_key_is_refused() -> None:
    catalog = _catalog()
    assert pack.read_pack("a,b,c\n", catalog, language="pl").problems == [
        "Row 1: the first row must be the column names, unchanged."
    ]
    text = pack.write_pack(catalog, language="pl", public=PUBLIC) + "nokey,,x,y,,,\n"
    problems = pack.read_pack(text, catalog, language="pl").problems
    assert len(problems) == 1 and "'nokey' is not a message" in problems[0]
