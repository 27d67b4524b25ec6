"""What the import pages say about a file, in the reader's language.

portal.domain.case_import reports problems as codes with parameters; this is the
one catalogue of their sentences, and of the help for each column. Each is a whole
sentence with named placeholders, so translators see all of it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from portal.domain.case_import import Code, Column, Delimiter, Encoding, Finding

MESSAGES = {
    # The file as a whole.
    Code.EMPTY: _l("The selected file is empty"),
    Code.TOO_LARGE: _l("The selected file must be smaller than %(max_mb)s MB"),
    Code.SPREADSHEET_NOT_CSV: _l(
        "The selected file is an Excel workbook, not a CSV file. In Excel, choose "
        "“Save as” and then “CSV UTF-8”."
    ),
    Code.UNREADABLE_ENCODING: _l(
        "The selected file could not be read as text. Save it as “CSV UTF-8” and try again."
    ),
    Code.NUL_CHARACTERS: _l(
        "The selected file contains NUL characters (the first on line %(line)s). It may be "
        "damaged or not a CSV file: export it again as CSV."
    ),
    Code.MALFORMED: _l(
        "Row %(row)s of the file could not be read: a cell is too long or a quotation mark "
        "is not closed"
    ),
    Code.NO_HEADER: _l(
        "The first row of the file must name the columns, for example child_ref, "
        "preferred_name, date_of_birth. None of its cells names a column we know."
    ),
    Code.MISSING_COLUMNS: _l("The file has no column for: %(columns)s"),
    Code.DUPLICATE_COLUMN: _l("The column “%(column)s” is in the first row more than once"),
    Code.HEADER_ONLY: _l("The file has a row of column names but no rows of children"),
    Code.TOO_MANY_ROWS: _l(
        "The file has more than %(max)s rows of children and reviews. Split it into smaller files."
    ),
    # One row.
    Code.WRONG_CELL_COUNT: _l(
        "This row does not have the same number of cells as the first row (%(found)s here, "
        "%(expected)s there). Check for a missing separator or a comma in a cell without "
        "quotation marks."
    ),
    Code.REQUIRED: _l("This cell must not be blank"),
    Code.TOO_LONG: _l("This must be %(max)s characters or fewer"),
    Code.NOT_A_DATE: _l(
        "“%(value)s” is not a date. Write dates as YYYY-MM-DD (2026-03-01) or DD/MM/YYYY "
        "(01/03/2026)."
    ),
    Code.IMPOSSIBLE_DATE: _l("“%(value)s” is not a real date. Check the day and the month."),
    Code.TWO_DIGIT_YEAR: _l(
        "“%(value)s” has a 2-digit year. Write the year in full, for example 01/03/2026."
    ),
    Code.MONTH_FIRST: _l(
        "“%(value)s” has the month first, as in the US. Write the day first: %(suggestion)s."
    ),
    Code.YEAR_OUT_OF_RANGE: _l("“%(value)s” is not a likely date. Check the year."),
    Code.BORN_IN_FUTURE: _l("The date of birth %(value)s is in the future"),
    Code.BORN_TOO_LONG_AGO: _l(
        "The date of birth %(value)s would make this young person older than %(age)s. "
        "Check the year."
    ),
    Code.CARE_BEFORE_BIRTH: _l(
        "The date they came into care (%(value)s) is before their date of birth (%(birth)s)"
    ),
    Code.CARE_IN_FUTURE: _l("The date they came into care (%(value)s) is in the future"),
    Code.REVIEW_BEFORE_CARE: _l(
        "The review date (%(value)s) is before the date they came into care (%(care)s)"
    ),
    Code.NOT_YES_OR_NO: _l(
        "“%(value)s” is not yes or no. Write yes or no, or leave it blank for no."
    ),
    Code.UNKNOWN_LANGUAGE: _l(
        "“%(value)s” is not a language code we know. Use a code such as en_GB, ar, ti, ps, "
        "fa, fa_AF or ckb, or leave it blank for English."
    ),
    Code.UNKNOWN_NEED: _l(
        "“%(value)s” is not a communication need we know. Use interpreter, read_aloud, "
        "easy_read or symbols, separated by spaces or semicolons."
    ),
    Code.NOT_AN_EMAIL: _l("“%(value)s” is not an email address"),
    Code.UNKNOWN_IRO: _l(
        "No active IRO or manager in your authority has the email address %(value)s"
    ),
    Code.UNKNOWN_REVIEW_TYPE: _l(
        "“%(value)s” is not a type of review. Use initial, second, subsequent, additional "
        "or pathway_plan."
    ),
    Code.UNKNOWN_STATUS: _l(
        "“%(value)s” is not a review status. Use planned, held, rearranged, stood_down, "
        "adjourned or cancelled, or leave it blank for planned."
    ),
    Code.NOT_A_TIME: _l(
        "“%(value)s” is not a time. Write the time as HH:MM on the 24-hour clock, for "
        "example 14:30."
    ),
    Code.REVIEW_WITHOUT_REF: _l(
        "This row has details of a review but no review reference. Give each review its "
        "reference from the case management system."
    ),
    Code.CHILD_DETAILS_DIFFER: _l(
        "This is different for child %(ref)s on row %(first_row)s. Every row for a child "
        "must have the same details."
    ),
    Code.DUPLICATE_REVIEW_REF: _l(
        "The review reference %(ref)s is also on row %(first_row)s. Put each review on one "
        "row only."
    ),
    Code.REVIEW_OF_ANOTHER_CHILD: _l(
        "The review %(ref)s is already in the portal for a different child"
    ),
    # Notes.
    Code.FORMULA_KEPT_AS_TEXT: _l(
        "This begins with %(first)s. It is kept as text and never run as a formula; exports "
        "from the portal put a ' in front of it so spreadsheets show it as text too."
    ),
    Code.COLUMNS_IGNORED: _l("These columns are not used and will be left out: %(columns)s"),
}

ENCODINGS = {
    Encoding.UTF8: _l("UTF-8"),
    Encoding.UTF8_BOM: _l("UTF-8 (with a byte order mark, as Excel saves “CSV UTF-8”)"),
    Encoding.UTF16: _l("UTF-16 (as Excel saves “Unicode text”)"),
    Encoding.WINDOWS_1252: _l("Windows-1252 (as older versions of Excel save “CSV”)"),
}

COLUMN_HELP = {
    Column.CHILD_REF: _l(
        "The child's reference in your case management system (a “Child ID” or "
        "“Person ID” column is read as this). Up to 60 characters."
    ),
    Column.PREFERRED_NAME: _l("The name the child likes to be called. Up to 100 characters."),
    Column.DATE_OF_BIRTH: _l("A “DOB” column is read as this."),
    Column.CAME_INTO_CARE_ON: _l(
        "The date the child became looked after (a “Date became looked after” column is "
        "read as this)."
    ),
    Column.UASC: _l(
        "Whether the child is an unaccompanied asylum-seeking child: yes or no. Blank means no."
    ),
    Column.PREFERRED_LANGUAGE: _l(
        "A language code such as en_GB, ar, ti, ps, fa, fa_AF, ckb or am. Blank means en_GB."
    ),
    Column.COMMUNICATION_NEEDS: _l(
        "Any of interpreter, read_aloud, easy_read and symbols, separated by spaces or "
        "semicolons. May be blank."
    ),
    Column.IRO_EMAIL: _l(
        "The email address the child's IRO signs in with. They must be an IRO or manager "
        "of your authority."
    ),
    Column.REVIEW_REF: _l(
        "The review's reference in your case management system. Leave the review columns "
        "blank on a row for a child with no review yet."
    ),
    Column.REVIEW_TYPE: _l(
        "initial, second, subsequent, additional or pathway_plan. Needed for each review."
    ),
    Column.REVIEW_DATE: _l("The day of the review. Needed for each review."),
    Column.REVIEW_TIME: _l("HH:MM on the 24-hour clock, for example 14:30. May be blank."),
    Column.VENUE: _l("Where the review is held. Up to 200 characters. May be blank."),
    Column.REVIEW_STATUS: _l(
        "planned, held, rearranged, stood_down, adjourned or cancelled. Blank means planned."
    ),
}

DELIMITERS = {
    Delimiter.COMMA: _l("commas"),
    Delimiter.TAB: _l("tabs"),
    Delimiter.SEMICOLON: _l("semicolons"),
}


def describe(finding: Finding) -> Markup:
    """The sentence for a problem, with the file's own text kept apart from it.

    Values from the file are escaped and isolated (<bdi>), so a right-to-left name
    or a hostile cell cannot reorder or break the sentence around it.
    """
    template = escape(str(MESSAGES[finding.code]))
    params = {
        name: value if isinstance(value, int) else Markup("<bdi>{}</bdi>").format(value)
        for name, value in finding.params.items()
    }
    return template % params if params else template
