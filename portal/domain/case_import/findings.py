"""What is wrong with a file, as codes with parameters, and the order they are listed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from portal.domain.case_import.columns import COLUMNS, Column

# Shown in problems so a long or hostile cell cannot fill the page.
_SHOWN_VALUE = 40


class Code(StrEnum):
    """What is wrong (or worth knowing). Put into words by portal.staff.imports.problems."""

    # The file as a whole: nothing in it can be read as rows.
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    SPREADSHEET_NOT_CSV = "spreadsheet_not_csv"
    UNREADABLE_ENCODING = "unreadable_encoding"
    NUL_CHARACTERS = "nul_characters"
    MALFORMED = "malformed"
    NO_HEADER = "no_header"
    MISSING_COLUMNS = "missing_columns"
    DUPLICATE_COLUMN = "duplicate_column"
    HEADER_ONLY = "header_only"
    TOO_MANY_ROWS = "too_many_rows"
    # One row.
    WRONG_CELL_COUNT = "wrong_cell_count"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_A_DATE = "not_a_date"
    IMPOSSIBLE_DATE = "impossible_date"
    TWO_DIGIT_YEAR = "two_digit_year"
    MONTH_FIRST = "month_first"
    YEAR_OUT_OF_RANGE = "year_out_of_range"
    BORN_IN_FUTURE = "born_in_future"
    BORN_TOO_LONG_AGO = "born_too_long_ago"
    CARE_BEFORE_BIRTH = "care_before_birth"
    CARE_IN_FUTURE = "care_in_future"
    REVIEW_BEFORE_CARE = "review_before_care"
    NOT_YES_OR_NO = "not_yes_or_no"
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_NEED = "unknown_need"
    NOT_AN_EMAIL = "not_an_email"
    UNKNOWN_IRO = "unknown_iro"
    UNKNOWN_REVIEW_TYPE = "unknown_review_type"
    UNKNOWN_STATUS = "unknown_status"
    NOT_A_TIME = "not_a_time"
    REVIEW_WITHOUT_REF = "review_without_ref"
    CHILD_DETAILS_DIFFER = "child_details_differ"
    DUPLICATE_REVIEW_REF = "duplicate_review_ref"
    REVIEW_OF_ANOTHER_CHILD = "review_of_another_child"
    # Notes: nothing wrong, but the person should know.
    FORMULA_KEPT_AS_TEXT = "formula_kept_as_text"
    COLUMNS_IGNORED = "columns_ignored"


@dataclass(frozen=True, eq=True)
class Finding:
    """A problem (or a note) at a row and column; row and column are None for the whole file."""

    code: Code
    row: int | None = None
    column: Column | None = None
    params: Mapping[str, str | int] = field(default_factory=dict, hash=False)


def shown(value: str) -> str:
    """A cell's value as shown inside a message: one line, not too long."""
    one_line = " ".join(value.split())
    if len(one_line) > _SHOWN_VALUE:
        return one_line[: _SHOWN_VALUE - 1] + "…"
    return one_line


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """In the order a person reads the file: by row, then column by column."""
    order = {column: position for position, column in enumerate(COLUMNS)}
    return sorted(
        findings,
        key=lambda f: (f.row or 0, -1 if f.column is None else order[f.column]),
    )
