"""Reading the case management system's CSV export of children and their reviews.

Liquidlogic, Mosaic and similar systems export one row per review with the
child's columns repeated on each row (a child with no review yet has a row with
the review columns blank). This module turns the bytes of such a file into
checked rows, and lists every problem with the row number a person sees in a
spreadsheet (the header is row 1), the column and a reason, so that the whole
file can be fixed in one go.

Plain Python: problems are codes with parameters, and the staff pages put them
into words in the reader's language. Checks that need the database (is the IRO
one of ours? does a review already belong to another child?) are made by
``portal.data.imports`` and reported in the same form.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

from babel import Locale, UnknownLocaleError

from portal.domain.spreadsheets import safe_cell
from portal.domain.text import clean_answer_text
from portal.domain.timescales import ReviewKind

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_REF = 60
MAX_NAME = 100
MAX_VENUE = 200
MAX_EMAIL = 254
OLDEST_AGE = 25  # care leavers are supported up to 25
DEFAULT_LANGUAGE = "en_GB"
# The same values as portal.models.ReviewStatus and CommunicationNeed (a unit test
# keeps them in step), repeated here so this module needs no database code.
REVIEW_STATUSES = ("planned", "held", "rearranged", "stood_down", "adjourned", "cancelled")
DEFAULT_STATUS = "planned"
COMMUNICATION_NEEDS = ("interpreter", "read_aloud", "easy_read", "symbols")
T = TypeVar("T")
# Shown in problems so a long or hostile cell cannot fill the page.
_SHOWN_VALUE = 40


class Column(StrEnum):
    """The columns, in the order the portal writes them."""

    CHILD_REF = "child_ref"
    PREFERRED_NAME = "preferred_name"
    DATE_OF_BIRTH = "date_of_birth"
    CAME_INTO_CARE_ON = "came_into_care_on"
    UASC = "uasc"
    PREFERRED_LANGUAGE = "preferred_language"
    COMMUNICATION_NEEDS = "communication_needs"
    IRO_EMAIL = "iro_email"
    REVIEW_REF = "review_ref"
    REVIEW_TYPE = "review_type"
    REVIEW_DATE = "review_date"
    REVIEW_TIME = "review_time"
    VENUE = "venue"
    REVIEW_STATUS = "review_status"


COLUMNS: tuple[Column, ...] = tuple(Column)
CHILD_COLUMNS: tuple[Column, ...] = COLUMNS[: COLUMNS.index(Column.REVIEW_REF)]
REVIEW_DETAIL_COLUMNS: tuple[Column, ...] = (
    Column.REVIEW_TYPE,
    Column.REVIEW_DATE,
    Column.REVIEW_TIME,
    Column.VENUE,
    Column.REVIEW_STATUS,
)
REQUIRED_COLUMNS: tuple[Column, ...] = (
    Column.CHILD_REF,
    Column.PREFERRED_NAME,
    Column.DATE_OF_BIRTH,
    Column.CAME_INTO_CARE_ON,
    Column.IRO_EMAIL,
)
# Free text stored as written: the only cells that may begin like a formula.
_TEXT_COLUMNS = frozenset(
    {Column.CHILD_REF, Column.PREFERRED_NAME, Column.REVIEW_REF, Column.VENUE}
)

# Header spellings, compared with case, spaces, underscores and hyphens left out. Names
# as loose as "Name", "Status" or "IRO" are not among them: in an export they usually
# mean something else (a legal name, a legal status, the IRO's name).
_ALIASES: dict[Column, tuple[str, ...]] = {
    Column.CHILD_REF: ("childref", "childid", "personid", "personref", "cmsid", "externalref"),
    Column.PREFERRED_NAME: ("preferredname", "knownas"),
    Column.DATE_OF_BIRTH: ("dateofbirth", "dob", "birthdate"),
    Column.CAME_INTO_CARE_ON: (
        "cameintocareon",
        "cameintocare",
        "datecameintocare",
        "datebecamelookedafter",
        "lookedaftersince",
    ),
    Column.UASC: ("uasc", "unaccompaniedasylumseekingchild"),
    Column.PREFERRED_LANGUAGE: ("preferredlanguage", "language", "firstlanguage"),
    Column.COMMUNICATION_NEEDS: ("communicationneeds",),
    Column.IRO_EMAIL: ("iroemail", "iroemailaddress"),
    Column.REVIEW_REF: ("reviewref", "reviewid"),
    Column.REVIEW_TYPE: ("reviewtype", "typeofreview"),
    Column.REVIEW_DATE: ("reviewdate", "dateofreview"),
    Column.REVIEW_TIME: ("reviewtime", "timeofreview"),
    Column.VENUE: ("venue", "reviewvenue"),
    Column.REVIEW_STATUS: ("reviewstatus",),
}
# A header's column and how close a name it is (0 = the column's own name). A file with
# both "Preferred name" and "Name" uses the first and leaves the second out.
_HEADER_NAMES: dict[str, tuple[Column, int]] = {
    alias: (column, rank)
    for column, aliases in _ALIASES.items()
    for rank, alias in enumerate(aliases)
}


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


class Encoding(StrEnum):
    UTF8 = "utf-8"
    UTF8_BOM = "utf-8-sig"
    UTF16 = "utf-16"
    WINDOWS_1252 = "windows-1252"


class Delimiter(StrEnum):
    COMMA = ","
    TAB = "\t"
    SEMICOLON = ";"


@dataclass(frozen=True, eq=True)
class Finding:
    """A problem (or a note) at a row and column; row and column are None for the whole file."""

    code: Code
    row: int | None = None
    column: Column | None = None
    params: Mapping[str, str | int] = field(default_factory=dict, hash=False)


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


class CellError(ValueError):
    """A cell that cannot be used, with the reason as a code and parameters."""

    def __init__(self, code: Code, **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def column_letter(position: int) -> str:
    """A spreadsheet's column letters for a 0-based position: 0 -> A, 26 -> AA."""
    letters = ""
    number = position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def shown(value: str) -> str:
    """A cell's value as shown inside a message: one line, not too long."""
    one_line = " ".join(value.split())
    if len(one_line) > _SHOWN_VALUE:
        return one_line[: _SHOWN_VALUE - 1] + "…"
    return one_line


# --- Reading the bytes ----------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"
_WORKBOOK_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def decode(data: bytes) -> tuple[str, Encoding] | Finding:
    """The file's text and the encoding it was read in, or why it cannot be read.

    UTF-8 with or without a byte order mark, UTF-16 with one (Excel's "Unicode
    text"), and Windows-1252 (older Excel "CSV") when the bytes are not UTF-8.
    """
    if not data.strip():
        return Finding(Code.EMPTY)
    if len(data) > MAX_BYTES:
        return Finding(Code.TOO_LARGE, params={"max_mb": MAX_BYTES // (1024 * 1024)})
    if data.startswith(_WORKBOOK_STARTS):
        return Finding(Code.SPREADSHEET_NOT_CSV)
    attempts: list[tuple[str, Encoding]]
    if data.startswith(_UTF16_BOMS):
        attempts = [("utf-16", Encoding.UTF16)]
    elif data.startswith(_UTF8_BOM):
        attempts = [("utf-8-sig", Encoding.UTF8_BOM)]
    else:
        attempts = [("utf-8", Encoding.UTF8), ("cp1252", Encoding.WINDOWS_1252)]
    for codec, encoding in attempts:
        try:
            return data.decode(codec), encoding
        except UnicodeDecodeError:
            continue
    return Finding(Code.UNREADABLE_ENCODING)


def read_upload(data: bytes, today: date) -> ParsedFile:
    """Everything about an uploaded file: its encoding, its rows and every problem."""
    decoded = decode(data)
    if isinstance(decoded, Finding):
        return ParsedFile(file_problems=[decoded])
    text, encoding = decoded
    return parse_text(text, today, encoding=encoding)


# --- Reading the rows -----------------------------------------------------------

_SEP_LINE = re.compile(r"^sep=(.)\s*$")


def header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.lstrip("\ufeff")).casefold()


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


# --- Reading one cell -----------------------------------------------------------


def clean_text(value: str) -> str:
    """A cell as stored: no control characters, one line, no spaces around it.

    A single quote before a formula character is how the portal's own exports
    (following OWASP) stop spreadsheets running a cell; it is taken off again
    here, so a file exported from the portal imports unchanged.
    """
    text = " ".join(clean_answer_text(value).split())
    if text.startswith("'") and safe_cell(text[1:]) != text[1:]:
        return text[1:]
    return text


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}/\d{1,2}/\d{2}")
_MIDNIGHT = re.compile(r"[T ]00:00(:00)?")
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_date(value: str) -> date:
    """YYYY-MM-DD, or DD/MM/YYYY and D/M/YYYY as written in the UK.

    A time of midnight after the date (as some systems export dates) is allowed.
    Everything else is refused with the reason: no guessing at 2-digit years or
    at which of two numbers is the month.
    """
    text = value.strip()
    midnight = _MIDNIGHT.search(text)
    if midnight and midnight.end() == len(text):
        text = text[: midnight.start()]
    if iso := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in iso.groups())
    elif uk := _UK_DATE.fullmatch(text):
        day, month, year = (int(part) for part in uk.groups())
        if month > 12 and _is_date(year, day, month):
            # Month first, as in the US: a real date the other way round, but not this one.
            suggestion = f"{month:02d}/{day:02d}/{year}"
            raise CellError(Code.MONTH_FIRST, value=shown(value), suggestion=suggestion)
    elif _SHORT_YEAR.fullmatch(text):
        raise CellError(Code.TWO_DIGIT_YEAR, value=shown(value))
    else:
        raise CellError(Code.NOT_A_DATE, value=shown(value))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(Code.YEAR_OUT_OF_RANGE, value=shown(value))
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(Code.IMPOSSIBLE_DATE, value=shown(value)) from None


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")


def parse_time(value: str) -> time:
    """HH:MM on the 24-hour clock (H:MM and HH:MM:00 too)."""
    found = _TIME.fullmatch(value.strip())
    if found:
        hour, minute = int(found.group(1)), int(found.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise CellError(Code.NOT_A_TIME, value=shown(value))


_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def parse_yes_no(value: str) -> bool:
    answer = value.strip().casefold()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise CellError(Code.NOT_YES_OR_NO, value=shown(value))


@lru_cache(maxsize=256)
def parse_language(value: str) -> str:
    """A locale code Babel knows, written the portal's way: en-GB -> en_GB, FA_af -> fa_AF."""
    code = value.strip().replace("-", "_")
    try:
        return str(Locale.parse(code))
    except (UnknownLocaleError, ValueError, TypeError):
        raise CellError(Code.UNKNOWN_LANGUAGE, value=shown(value)) from None


def parse_needs(value: str) -> str:
    """Communication needs separated by spaces, semicolons or commas, in a fixed order."""
    wanted = set()
    for word in re.split(r"[\s;,]+", value.strip()):
        if not word:
            continue
        need = word.casefold().replace("-", "_")
        if need not in COMMUNICATION_NEEDS:
            raise CellError(Code.UNKNOWN_NEED, value=shown(word))
        wanted.add(need)
    return " ".join(need for need in COMMUNICATION_NEEDS if need in wanted)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_email(value: str) -> str:
    address = value.strip()
    if len(address) > MAX_EMAIL or not _EMAIL.fullmatch(address):
        raise CellError(Code.NOT_AN_EMAIL, value=shown(value))
    return address.lower()


def _choice_key(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().casefold())


def parse_review_type(value: str) -> ReviewKind:
    try:
        return ReviewKind(_choice_key(value))
    except ValueError:
        raise CellError(Code.UNKNOWN_REVIEW_TYPE, value=shown(value)) from None


def parse_status(value: str) -> str:
    status = _choice_key(value)
    if status not in REVIEW_STATUSES:
        raise CellError(Code.UNKNOWN_STATUS, value=shown(value))
    return status


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- Reading the rows of children and reviews -------------------------------------


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


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """In the order a person reads the file: by row, then column by column."""
    order = {column: position for position, column in enumerate(COLUMNS)}
    return sorted(
        findings,
        key=lambda f: (f.row or 0, -1 if f.column is None else order[f.column]),
    )


# --- Writing the same columns -----------------------------------------------------


def cells(child: ChildRow, review: ReviewRow | None) -> list[str]:
    """One row of an export, in the columns this module reads (so it imports unchanged)."""
    row = [
        child.ref,
        child.preferred_name,
        child.date_of_birth.isoformat(),
        child.came_into_care_on.isoformat(),
        "yes" if child.uasc else "no",
        child.preferred_language,
        child.communication_needs,
        child.iro_email,
    ]
    if review is None:
        return row + [""] * (len(COLUMNS) - len(row))
    return [
        *row,
        review.ref,
        str(review.kind),
        review.planned_on.isoformat(),
        review.planned_time.strftime("%H:%M") if review.planned_time else "",
        review.venue,
        review.status,
    ]


def example_rows() -> list[list[str]]:
    """A fictional child with one review, for the template people fill in."""
    child = ChildRow(
        ref="EXAMPLE-0001",
        preferred_name="Sam Example",
        date_of_birth=date(2012, 4, 9),
        came_into_care_on=date(2025, 11, 3),
        uasc=False,
        preferred_language="en_GB",
        communication_needs="read_aloud",
        iro_email="iro.name@your-authority.example",
    )
    review = ReviewRow(
        ref="EXAMPLE-R-0001",
        child_ref=child.ref,
        kind=ReviewKind.INITIAL,
        planned_on=date(2025, 12, 1),
        planned_time=time(15, 30),
        venue="Family Centre, Room 2",
        status=DEFAULT_STATUS,
    )
    return [cells(child, review)]
