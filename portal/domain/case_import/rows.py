"""The checked rows of children and reviews, built from the records with every problem."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import TypeVar

from portal.domain.case_import.cell_parsers import (
    DEFAULT_STATUS,
    CellError,
    age_on,
    clean_text,
    parse_date,
    parse_email,
    parse_language,
    parse_needs,
    parse_review_type,
    parse_status,
    parse_time,
    parse_yes_no,
)
from portal.domain.case_import.columns import (
    _TEXT_COLUMNS,
    CHILD_COLUMNS,
    REVIEW_DETAIL_COLUMNS,
    Column,
    column_letter,
)
from portal.domain.case_import.decoding import Delimiter, Encoding
from portal.domain.case_import.findings import Code, Finding, shown, sort_findings
from portal.domain.spreadsheets import safe_cell

MAX_REF = 60
MAX_NAME = 100
MAX_VENUE = 200
OLDEST_AGE = 25  # care leavers are supported up to 25
DEFAULT_LANGUAGE = "en_GB"
T = TypeVar("T")


@dataclass(frozen=True)
class ChildRow:
    """One child's details, as the file gives them."""

    ref: str
    preferred_name: str
    date_of_birth: date
    came_into_care_on: date
    uasc: bool
    preferred_language: str
    communication_needs: str  # space-separated, in a fixed order
    iro_email: str
    row: int = field(default=0, compare=False)  # the first row the child is on

    def values(self) -> dict[str, object]:
        """The fields a Child record keeps, by attribute name."""
        return {
            "preferred_name": self.preferred_name,
            "date_of_birth": self.date_of_birth,
            "came_into_care_on": self.came_into_care_on,
            "uasc": self.uasc,
            "preferred_language": self.preferred_language,
            "communication_needs": self.communication_needs,
        }


@dataclass(frozen=True)
class ReviewRow:
    ref: str
    child_ref: str
    kind: str  # a ReviewKind value
    planned_on: date
    planned_time: time | None
    venue: str
    status: str
    row: int = field(default=0, compare=False)

    def values(self) -> dict[str, object]:
        """The fields a Review record keeps, by attribute name (status apart)."""
        return {
            "kind": str(self.kind),
            "planned_on": self.planned_on,
            "planned_time": self.planned_time,
            "venue": self.venue,
        }


@dataclass
class ParsedFile:
    encoding: Encoding | None = None
    delimiter: Delimiter = Delimiter.COMMA
    text: str = ""  # the decoded file, kept between preview and import
    # The file's own header text and 0-based position for each column found.
    headers: dict[Column, tuple[int, str]] = field(default_factory=dict)
    header_width: int = 0  # cells in the header row
    rows_read: int = 0
    children: dict[str, ChildRow] = field(default_factory=dict)
    reviews: list[ReviewRow] = field(default_factory=list)
    # Each child's IRO by the row that names them, checked against the staff records
    # (portal.data.imports) even on rows with other problems, so every problem is listed.
    iro_emails: dict[int, str] = field(default_factory=dict)
    file_problems: list[Finding] = field(default_factory=list)
    row_problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """Whether the file could be read as rows at all."""
        return not self.file_problems

    @property
    def valid(self) -> bool:
        return not self.file_problems and not self.row_problems

    def column_label(self, column: Column) -> str:
        """How a person finds a column: its letter in a spreadsheet and its header."""
        position, header = self.headers.get(column, (None, str(column)))
        if position is None:
            return header
        return f"{column_letter(position)}: {header}"


class _Row:
    """One row's cells by column, with the problems and notes found in them."""

    def __init__(self, parsed: ParsedFile, number: int, record: list[str]) -> None:
        self.number = number
        self.record = record
        self.headers = parsed.headers
        self.problems: list[Finding] = []
        self.notes: list[Finding] = []

    def raw(self, column: Column) -> str:
        found = self.headers.get(column)
        if found is None or found[0] >= len(self.record):
            return ""
        return self.record[found[0]]

    def problem(self, column: Column, code: Code, **params: str | int) -> None:
        self.problems.append(Finding(code, self.number, column, params))

    def has_problem(self, column: Column) -> bool:
        return any(p.column == column for p in self.problems)

    def text(self, column: Column, max_length: int, *, required: bool = False) -> str:
        value = clean_text(self.raw(column))
        if not value:
            if required:
                self.problem(column, Code.REQUIRED)
        elif len(value) > max_length:
            self.problem(column, Code.TOO_LONG, max=max_length)
        elif column in _TEXT_COLUMNS and safe_cell(value) != value:
            self.notes.append(
                Finding(Code.FORMULA_KEPT_AS_TEXT, self.number, column, {"first": value[0]})
            )
        return value

    def value(self, column: Column, reader: Callable[[str], T], *, required: bool) -> T | None:
        text = clean_text(self.raw(column))
        if not text:
            if required:
                self.problem(column, Code.REQUIRED)
            return None
        try:
            return reader(text)
        except CellError as error:
            self.problem(column, error.code, **error.params)
            return None


def _cell_count_problem(parsed: ParsedFile, number: int, record: list[str]) -> Finding | None:
    needed = max(position for position, _label in parsed.headers.values()) + 1
    extra = record[parsed.header_width :]
    if len(record) < needed or any(cell.strip() for cell in extra):
        return Finding(
            Code.WRONG_CELL_COUNT,
            number,
            None,
            {"found": len(record), "expected": parsed.header_width},
        )
    return None


def _read_child(row: _Row, today: date) -> tuple[str | None, dict[Column, object]]:
    """The child's reference and each of their details that could be read."""
    ref = row.text(Column.CHILD_REF, MAX_REF, required=True)
    name = row.text(Column.PREFERRED_NAME, MAX_NAME, required=True)
    born = row.value(Column.DATE_OF_BIRTH, parse_date, required=True)
    came = row.value(Column.CAME_INTO_CARE_ON, parse_date, required=True)
    uasc = row.value(Column.UASC, parse_yes_no, required=False)
    language = row.value(Column.PREFERRED_LANGUAGE, parse_language, required=False)
    needs = row.value(Column.COMMUNICATION_NEEDS, parse_needs, required=False)
    email = row.value(Column.IRO_EMAIL, parse_email, required=True)
    if born is not None:
        shown_born = shown(row.raw(Column.DATE_OF_BIRTH))
        if born > today:
            row.problem(Column.DATE_OF_BIRTH, Code.BORN_IN_FUTURE, value=shown_born)
        elif age_on(born, today) > OLDEST_AGE:
            row.problem(
                Column.DATE_OF_BIRTH, Code.BORN_TOO_LONG_AGO, value=shown_born, age=OLDEST_AGE
            )
    if came is not None:
        shown_came = shown(row.raw(Column.CAME_INTO_CARE_ON))
        if born is not None and not row.has_problem(Column.DATE_OF_BIRTH) and came < born:
            row.problem(
                Column.CAME_INTO_CARE_ON,
                Code.CARE_BEFORE_BIRTH,
                value=shown_came,
                birth=shown(row.raw(Column.DATE_OF_BIRTH)),
            )
        elif came > today:
            row.problem(Column.CAME_INTO_CARE_ON, Code.CARE_IN_FUTURE, value=shown_came)
    details: dict[Column, object] = {
        Column.PREFERRED_NAME: name,
        Column.DATE_OF_BIRTH: born,
        Column.CAME_INTO_CARE_ON: came,
        Column.UASC: bool(uasc),
        Column.PREFERRED_LANGUAGE: language or DEFAULT_LANGUAGE,
        Column.COMMUNICATION_NEEDS: needs or "",
        Column.IRO_EMAIL: email,
    }
    readable = {c: v for c, v in details.items() if not row.has_problem(c)}
    return (None if row.has_problem(Column.CHILD_REF) else ref), readable


def _read_review(row: _Row, child_ref: str | None, came: object) -> ReviewRow | None:
    ref = row.text(Column.REVIEW_REF, MAX_REF)
    if not ref:
        if any(row.raw(column).strip() for column in REVIEW_DETAIL_COLUMNS):
            row.problem(Column.REVIEW_REF, Code.REVIEW_WITHOUT_REF)
        return None
    kind = row.value(Column.REVIEW_TYPE, parse_review_type, required=True)
    day = row.value(Column.REVIEW_DATE, parse_date, required=True)
    at = row.value(Column.REVIEW_TIME, parse_time, required=False)
    venue = row.text(Column.VENUE, MAX_VENUE)
    status = row.value(Column.REVIEW_STATUS, parse_status, required=False)
    if day is not None and isinstance(came, date) and day < came:
        row.problem(
            Column.REVIEW_DATE,
            Code.REVIEW_BEFORE_CARE,
            value=shown(row.raw(Column.REVIEW_DATE)),
            care=shown(row.raw(Column.CAME_INTO_CARE_ON)),
        )
    if row.problems or child_ref is None or kind is None or day is None:
        return None
    return ReviewRow(
        ref=ref,
        child_ref=child_ref,
        kind=kind,
        planned_on=day,
        planned_time=at,
        venue=venue,
        status=status or DEFAULT_STATUS,
        row=row.number,
    )


def _child_row(ref: str, details: Mapping[Column, object], number: int) -> ChildRow | None:
    if any(column not in details for column in CHILD_COLUMNS[1:]):
        return None
    born, came = details[Column.DATE_OF_BIRTH], details[Column.CAME_INTO_CARE_ON]
    assert isinstance(born, date) and isinstance(came, date)
    return ChildRow(
        ref=ref,
        preferred_name=str(details[Column.PREFERRED_NAME]),
        date_of_birth=born,
        came_into_care_on=came,
        uasc=bool(details[Column.UASC]),
        preferred_language=str(details[Column.PREFERRED_LANGUAGE]),
        communication_needs=str(details[Column.COMMUNICATION_NEEDS]),
        iro_email=str(details[Column.IRO_EMAIL]),
        row=number,
    )


def _read_rows(parsed: ParsedFile, data_rows: Iterable[tuple[int, list[str]]], today: date) -> None:
    first_child_rows: dict[str, tuple[int, dict[Column, object]]] = {}
    first_review_rows: dict[str, int] = {}
    problems: list[Finding] = []
    for number, record in data_rows:
        wrong_width = _cell_count_problem(parsed, number, record)
        if wrong_width is not None:
            problems.append(wrong_width)
            continue  # the cells may be in the wrong columns: nothing in it can be trusted
        row = _Row(parsed, number, record)
        ref, details = _read_child(row, today)
        review = _read_review(row, ref, details.get(Column.CAME_INTO_CARE_ON))
        notes = row.notes
        email = details.get(Column.IRO_EMAIL)
        if isinstance(email, str) and (ref is None or ref not in first_child_rows):
            parsed.iro_emails[number] = email
        if ref is not None:
            if ref not in first_child_rows:
                first_child_rows[ref] = (number, details)
                child = _child_row(ref, details, number)
                if child is not None and not row.problems:
                    parsed.children[ref] = child
            else:
                first_row, first_details = first_child_rows[ref]
                notes = [n for n in notes if n.column not in CHILD_COLUMNS]
                for column, wanted in details.items():
                    if column in first_details and first_details[column] != wanted:
                        row.problem(
                            column,
                            Code.CHILD_DETAILS_DIFFER,
                            ref=shown(ref),
                            first_row=first_row,
                        )
        review_ref = clean_text(row.raw(Column.REVIEW_REF))
        if review_ref and not row.has_problem(Column.REVIEW_REF):
            if review_ref in first_review_rows:
                row.problem(
                    Column.REVIEW_REF,
                    Code.DUPLICATE_REVIEW_REF,
                    ref=shown(review_ref),
                    first_row=first_review_rows[review_ref],
                )
                review = None
            else:
                first_review_rows[review_ref] = number
        if review is not None and not row.problems:
            parsed.reviews.append(review)
        problems.extend(row.problems)
        parsed.notes.extend(notes)
    parsed.row_problems = sort_findings(problems)
