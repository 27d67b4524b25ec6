"""The columns of the file: their names, the header spellings taken for them, their letters."""

from __future__ import annotations

import re
from enum import StrEnum


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


def header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.lstrip("\ufeff")).casefold()


def column_letter(position: int) -> str:
    """A spreadsheet's column letters for a 0-based position: 0 -> A, 26 -> AA."""
    letters = ""
    number = position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
