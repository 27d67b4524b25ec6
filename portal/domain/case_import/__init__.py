"""Reading the case management system's CSV export of children and their reviews.

Liquidlogic, Mosaic and similar systems export one row per review with the
child's columns repeated on each row (a child with no review yet has a row with
the review columns blank). This package turns the bytes of such a file into
checked rows, and lists every problem with the row number a person sees in a
spreadsheet (the header is row 1), the column and a reason, so that the whole
file can be fixed in one go.

Plain Python: problems are codes with parameters, and the staff pages put them
into words in the reader's language. Checks that need the database (is the IRO
one of ours? does a review already belong to another child?) are made by
``portal.data.imports`` and reported in the same form.
"""

from __future__ import annotations

from portal.domain.case_import.cell_parsers import (
    COMMUNICATION_NEEDS,
    REVIEW_STATUSES,
    CellError,
    clean_text,
    parse_date,
    parse_time,
)
from portal.domain.case_import.columns import COLUMNS, REQUIRED_COLUMNS, Column, column_letter
from portal.domain.case_import.decoding import MAX_BYTES, Delimiter, Encoding
from portal.domain.case_import.export import cells, example_rows
from portal.domain.case_import.findings import Code, Finding, shown, sort_findings
from portal.domain.case_import.reading import parse_text, read_upload
from portal.domain.case_import.rows import ChildRow, ParsedFile, ReviewRow

__all__ = [
    "COLUMNS",
    "COMMUNICATION_NEEDS",
    "MAX_BYTES",
    "REQUIRED_COLUMNS",
    "REVIEW_STATUSES",
    "CellError",
    "ChildRow",
    "Code",
    "Column",
    "Delimiter",
    "Encoding",
    "Finding",
    "ParsedFile",
    "ReviewRow",
    "cells",
    "clean_text",
    "column_letter",
    "example_rows",
    "parse_date",
    "parse_text",
    "parse_time",
    "read_upload",
    "shown",
    "sort_findings",
]
