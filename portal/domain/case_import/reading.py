"""Reading a whole file: its bytes as text, its separator, its header and then its rows."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date

from portal.domain.case_import.columns import (
    _HEADER_NAMES,
    REQUIRED_COLUMNS,
    REVIEW_DETAIL_COLUMNS,
    Column,
    header_key,
)
from portal.domain.case_import.decoding import MAX_ROWS, Delimiter, Encoding, decode
from portal.domain.case_import.findings import Code, Finding, shown
from portal.domain.case_import.rows import ParsedFile, _read_rows


def read_upload(data: bytes, today: date) -> ParsedFile:
    """Everything about an uploaded file: its encoding, its rows and every problem."""
    decoded = decode(data)
    if isinstance(decoded, Finding):
        return ParsedFile(file_problems=[decoded])
    text, encoding = decoded
    return parse_text(text, today, encoding=encoding)


_SEP_LINE = re.compile(r"^sep=(.)\s*$")


def _choose_delimiter(first_line: str) -> Delimiter:
    counts = {delimiter: first_line.count(delimiter.value) for delimiter in Delimiter}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else Delimiter.COMMA


def _records(text: str, delimiter: Delimiter) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter.value, strict=False)


def parse_text(text: str, today: date, encoding: Encoding | None = None) -> ParsedFile:
    parsed = ParsedFile(encoding=encoding, text=text)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        parsed.file_problems.append(Finding(Code.EMPTY))
        return parsed
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        parsed.file_problems.append(Finding(Code.NUL_CHARACTERS, params={"line": line}))
        return parsed
    first_line, _newline, rest = text.partition("\n")
    sep = _SEP_LINE.match(first_line.rstrip("\r"))
    if sep and sep.group(1) in {d.value for d in Delimiter}:
        # Excel's "sep=;" line says how the cells are separated; it is not a row.
        parsed.delimiter = Delimiter(sep.group(1))
        text = rest
    else:
        parsed.delimiter = _choose_delimiter(first_line)

    records = _records(text, parsed.delimiter)
    row = 0  # the last row read whole, so a row that cannot be read is the next one
    try:
        header = next(records, [])
        row = 1
        if not _read_header(parsed, header):
            return parsed
        data_rows: list[tuple[int, list[str]]] = []
        for row, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue  # a blank line, as spreadsheets often leave at the end
            if len(data_rows) == MAX_ROWS:
                parsed.file_problems.append(Finding(Code.TOO_MANY_ROWS, params={"max": MAX_ROWS}))
                return parsed
            data_rows.append((row, record))
    except csv.Error:
        parsed.file_problems.append(Finding(Code.MALFORMED, params={"row": row + 1}))
        return parsed
    if not data_rows:
        parsed.file_problems.append(Finding(Code.HEADER_ONLY))
        return parsed
    parsed.rows_read = len(data_rows)
    _read_rows(parsed, data_rows, today)
    return parsed


def _read_header(parsed: ParsedFile, header: list[str]) -> bool:
    parsed.header_width = len(header)
    ignored: dict[int, str] = {}
    candidates: dict[Column, list[tuple[int, int, str]]] = {}
    for position, cell in enumerate(header):
        label = " ".join(cell.lstrip("\ufeff").split())
        found = _HEADER_NAMES.get(header_key(cell))
        if found is None:
            if label:
                ignored[position] = label
        else:
            column, rank = found
            candidates.setdefault(column, []).append((rank, position, label))
    for column, named in candidates.items():
        best, *others = sorted(named)
        parsed.headers[column] = (best[1], best[2])
        for rank, position, label in others:
            if rank == best[0]:
                parsed.file_problems.append(
                    Finding(Code.DUPLICATE_COLUMN, params={"column": shown(label)})
                )
            else:
                ignored[position] = label
    parsed.headers = dict(sorted(parsed.headers.items(), key=lambda item: item[1][0]))
    if not parsed.headers:
        parsed.file_problems.append(Finding(Code.NO_HEADER))
        return False
    missing = [c for c in REQUIRED_COLUMNS if c not in parsed.headers]
    has_review_details = any(c in parsed.headers for c in REVIEW_DETAIL_COLUMNS)
    if Column.REVIEW_REF in parsed.headers or has_review_details:
        missing += [
            c
            for c in (Column.REVIEW_REF, Column.REVIEW_TYPE, Column.REVIEW_DATE)
            if c not in parsed.headers
        ]
    if missing:
        parsed.file_problems.append(
            Finding(Code.MISSING_COLUMNS, params={"columns": ", ".join(missing)})
        )
    if ignored:
        names = ", ".join(label for _position, label in sorted(ignored.items()))
        parsed.notes.append(Finding(Code.COLUMNS_IGNORED, params={"columns": shown(names)}))
    return not parsed.file_problems
