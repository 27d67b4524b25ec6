"""Reading a case management system's CSV export: every date form, encoding and problem."""

from __future__ import annotations

import codecs
from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain import case_import
from portal.domain.case_import import (
    ChildRow,
    Code,
    Column,
    Delimiter,
    Encoding,
    Finding,
    ParsedFile,
    ReviewRow,
    parse_date,
    parse_text,
    read_upload,
)
from portal.domain.spreadsheets import csv_text
from portal.domain.timescales import ReviewKind

TODAY = date(2026, 11, 20)
HEADER = ",".join(case_import.COLUMNS)
IRO = "jo.iro@testshire.example"


def _line(**cells: str) -> str:
    """A data row in the standard columns; anything not given is a valid default."""
    values = {
        "child_ref": "C-1",
        "preferred_name": "Asha",
        "date_of_birth": "2012-05-01",
        "came_into_care_on": "2025-09-01",
        "iro_email": IRO,
        **cells,
    }
    return ",".join(values.get(column, "") for column in case_import.COLUMNS)


def _parse(*lines: str, header: str = HEADER) -> ParsedFile:
    return parse_text("\r\n".join([header, *lines]) + "\r\n", TODAY)


def _codes(parsed: ParsedFile) -> list[tuple[Code, int | None, Column | None]]:
    return [(p.code, p.row, p.column) for p in parsed.file_problems + parsed.row_problems]


def _cell_error(value: str) -> tuple[Code, dict[str, str | int]]:
    with pytest.raises(case_import.CellError) as raised:
        parse_date(value)
    return raised.value.code, raised.value.params


# --- Dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-3-1", date(2026, 3, 1)),
        ("01/03/2026", date(2026, 3, 1)),
        ("1/3/2026", date(2026, 3, 1)),
        ("31/12/2025", date(2025, 12, 31)),
        ("29/02/2028", date(2028, 2, 29)),
        (" 2026-03-01 ", date(2026, 3, 1)),
        ("2026-03-01 00:00:00", date(2026, 3, 1)),  # as some systems export a date
        ("2026-03-01T00:00", date(2026, 3, 1)),
        ("01/03/2026 00:00", date(2026, 3, 1)),
    ],
)
def test_dates_in_iso_and_uk_forms(written: str, meant: date) -> None:
    assert parse_date(written) == meant


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("31/02/2026", Code.IMPOSSIBLE_DATE),
        ("29/02/2027", Code.IMPOSSIBLE_DATE),  # not a leap year
        ("2026-02-30", Code.IMPOSSIBLE_DATE),
        ("2026-13-01", Code.IMPOSSIBLE_DATE),
        ("00/01/2026", Code.IMPOSSIBLE_DATE),
        ("13/13/2026", Code.IMPOSSIBLE_DATE),
        ("02/30/2026", Code.IMPOSSIBLE_DATE),  # month first, and impossible either way
        ("12/25/2026", Code.MONTH_FIRST),
        ("1/3/26", Code.TWO_DIGIT_YEAR),
        ("01/03/26", Code.TWO_DIGIT_YEAR),
        ("01/03/1850", Code.YEAR_OUT_OF_RANGE),
        ("0026-03-01", Code.YEAR_OUT_OF_RANGE),
        ("1 March 2026", Code.NOT_A_DATE),
        ("01-Mar-26", Code.NOT_A_DATE),
        ("2026/03/01", Code.NOT_A_DATE),
        ("01.03.2026", Code.NOT_A_DATE),
        ("46082", Code.NOT_A_DATE),  # an Excel date serial number
        ("2026-03-01 14:30", Code.NOT_A_DATE),
        ("=TODAY()", Code.NOT_A_DATE),
    ],
)
def test_impossible_and_ambiguous_dates_are_refused_with_the_reason(
    written: str, code: Code
) -> None:
    found, params = _cell_error(written)
    assert found is code
    assert params["value"] == written


def test_a_us_date_is_refused_with_the_uk_way_to_write_it() -> None:
    assert _cell_error("12/25/2026") == (
        Code.MONTH_FIRST,
        {"value": "12/25/2026", "suggestion": "25/12/2026"},
    )


def test_dates_that_make_no_sense_for_the_child_are_refused() -> None:
    parsed = _parse(
        _line(child_ref="A", date_of_birth="2027-01-01"),
        _line(child_ref="B", date_of_birth="1999-01-01"),
        _line(child_ref="C", date_of_birth="2012-05-01", came_into_care_on="2012-04-30"),
        _line(child_ref="D", came_into_care_on="2026-11-21"),
        _line(child_ref="E", review_ref="R", review_type="initial", review_date="2025-08-31"),
        _line(child_ref="F", date_of_birth="2026-11-20", came_into_care_on="2026-11-20"),
        _line(child_ref="G", date_of_birth="2000-11-21"),  # 25 today: a care leaver
    )
    assert _codes(parsed) == [
        (Code.BORN_IN_FUTURE, 2, Column.DATE_OF_BIRTH),
        (Code.BORN_TOO_LONG_AGO, 3, Column.DATE_OF_BIRTH),
        (Code.CARE_BEFORE_BIRTH, 4, Column.CAME_INTO_CARE_ON),
        (Code.CARE_IN_FUTURE, 5, Column.CAME_INTO_CARE_ON),
        (Code.REVIEW_BEFORE_CARE, 6, Column.REVIEW_DATE),
    ]
    assert parsed.row_problems[2].params == {"value": "2012-04-30", "birth": "2012-05-01"}
    assert set(parsed.children) == {"F", "G"}


def test_times() -> None:
    assert case_import.parse_time("14:30") == time(14, 30)
    assert case_import.parse_time("9:05") == time(9, 5)
    assert case_import.parse_time("09:05:00") == time(9, 5)
    for wrong in ("2pm", "24:00", "12:60", "1430", "14.30", "09:05:30"):
        with pytest.raises(case_import.CellError):
            case_import.parse_time(wrong)


# --- Encodings and the file as a whole ---------------------------------------------


VALID = f"{HEADER}\r\n{_line(preferred_name='Zoë Ōkubo')}\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (VALID.encode("utf-8"), Encoding.UTF8),
        (codecs.BOM_UTF8 + VALID.encode("utf-8"), Encoding.UTF8_BOM),
        (VALID.encode("utf-16"), Encoding.UTF16),
        (codecs.BOM_UTF16_LE + VALID.encode("utf-16-le"), Encoding.UTF16),
        (codecs.BOM_UTF16_BE + VALID.encode("utf-16-be"), Encoding.UTF16),
    ],
)
def test_utf8_and_utf16_are_read(data: bytes, encoding: Encoding) -> None:
    parsed = read_upload(data, TODAY)
    assert parsed.encoding is encoding
    assert parsed.valid
    assert parsed.children["C-1"].preferred_name == "Zoë Ōkubo"


def test_windows_1252_is_read_when_the_bytes_are_not_utf8() -> None:
    data = f"{HEADER}\r\n{_line(preferred_name='Zoë O’Neill – “Zo”')}\r\n".encode("cp1252")
    parsed = read_upload(data, TODAY)
    assert parsed.encoding is Encoding.WINDOWS_1252
    assert parsed.children["C-1"].preferred_name == "Zoë O’Neill – “Zo”"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", Code.EMPTY),
        (b" \r\n\r\n\t", Code.EMPTY),
        (codecs.BOM_UTF8, Code.EMPTY),
        ("\ufeff\r\n".encode("utf-16"), Code.EMPTY),
        (b"x" * (2 * 1024 * 1024 + 1), Code.TOO_LARGE),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 30, Code.SPREADSHEET_NOT_CSV),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 30, Code.SPREADSHEET_NOT_CSV),
        (HEADER.encode() + b"\r\n\x81\x8d\x8f\x90\x9d\r\n", Code.UNREADABLE_ENCODING),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", Code.UNREADABLE_ENCODING),
        (HEADER.encode() + b"\r\nC-1,A\x00sha\r\n", Code.NUL_CHARACTERS),
        # UTF-16 without its byte order mark looks like NUL bytes to everyone else.
        (VALID.encode("utf-16-le"), Code.NUL_CHARACTERS),
        (HEADER.encode() + b"\r\n", Code.HEADER_ONLY),
        (HEADER.encode() + b"\r\n,,,,,,,,,,,,,\r\n\r\n", Code.HEADER_ONLY),
        (b"Forename,Age\r\nAsha,12\r\n", Code.NO_HEADER),
        (b"C-1,Asha,2012-05-01\r\n", Code.NO_HEADER),
        (b"child_ref,preferred_name\r\nC-1,Asha\r\n", Code.MISSING_COLUMNS),
    ],
)
def test_files_that_cannot_be_read_say_why(data: bytes, code: Code) -> None:
    parsed = read_upload(data, TODAY)
    assert [p.code for p in parsed.file_problems] == [code]
    assert not parsed.readable and not parsed.children and not parsed.reviews


def test_the_line_of_the_first_nul_is_given() -> None:
    parsed = parse_text(f"{HEADER}\r\n{_line()}\r\nC-2,B\x00b\r\n", TODAY)
    assert parsed.file_problems == [Finding(Code.NUL_CHARACTERS, params={"line": 3})]


def test_missing_columns_are_named() -> None:
    parsed = _parse("C-1,Asha,x", header="child_ref,preferred_name,review_ref")
    assert parsed.file_problems == [
        Finding(
            Code.MISSING_COLUMNS,
            params={
                "columns": "date_of_birth, came_into_care_on, iro_email, review_type, review_date"
            },
        )
    ]


def test_review_columns_without_a_review_ref_column_are_refused() -> None:
    parsed = _parse(
        "C-1,Asha,2012-05-01,2025-09-01,a@b.example,2026-01-01",
        header="child_ref,preferred_name,date_of_birth,came_into_care_on,iro_email,review_date",
    )
    assert parsed.file_problems[0].params == {"columns": "review_ref, review_type"}


def test_more_than_5000_rows_are_refused() -> None:
    rows = [_line(child_ref=f"C-{n}") for n in range(5001)]
    parsed = _parse(*rows)
    assert parsed.file_problems == [Finding(Code.TOO_MANY_ROWS, params={"max": 5000})]
    assert _parse(*rows[:5000]).valid


def test_an_unclosed_quotation_mark_in_a_huge_cell_is_refused() -> None:
    parsed = _parse(_line(), 'C-2,"Asha' + "x" * 200_000)
    assert parsed.file_problems == [Finding(Code.MALFORMED, params={"row": 3})]


# --- The header ---------------------------------------------------------------------


def test_headers_match_whatever_their_case_spaces_underscores_and_aliases() -> None:
    parsed = _parse(
        f"LL-7,Amir,03/02/2010,01/09/2025,Y,AR,Interpreter,{IRO.upper()}",
        header=(
            "\ufeffPerson ID,Preferred Name,DOB,Date Became Looked After,U-A-S-C,"
            "preferred language,COMMUNICATION_NEEDS,Iro Email"
        ),
    )
    assert parsed.valid, parsed.row_problems
    assert parsed.children["LL-7"] == ChildRow(
        ref="LL-7",
        preferred_name="Amir",
        date_of_birth=date(2010, 2, 3),
        came_into_care_on=date(2025, 9, 1),
        uasc=True,
        preferred_language="ar",
        communication_needs="interpreter",
        iro_email=IRO,
    )
    assert parsed.column_label(Column.DATE_OF_BIRTH) == "C: DOB"


def test_other_columns_are_left_out_and_said_to_be() -> None:
    parsed = _parse(
        f"x,C-1,Asha,2012-05-01,2025-09-01,{IRO},y",
        header="Ethnicity,child_ref,preferred_name,date_of_birth,came_into_care_on,iro_email,Notes",
    )
    assert parsed.valid
    assert parsed.notes == [Finding(Code.COLUMNS_IGNORED, params={"columns": "Ethnicity, Notes"})]
    assert parsed.column_label(Column.CHILD_REF) == "B: child_ref"


def test_a_column_twice_is_refused() -> None:
    parsed = _parse(_line() + ",C-1", header=HEADER + ",Child Ref")
    assert parsed.file_problems == [Finding(Code.DUPLICATE_COLUMN, params={"column": "Child Ref"})]


def test_a_columns_own_name_is_used_before_a_looser_one() -> None:
    parsed = _parse(
        f"Asha Rose Example,Legal order,C-1,Asha,2012-05-01,2025-09-01,{IRO},Child ID",
        header="Name,Status,child_ref,Preferred name,DOB,Came into care,IRO email,Person ID",
    )
    assert parsed.valid, parsed.file_problems
    assert parsed.children["C-1"].preferred_name == "Asha"
    assert parsed.notes == [
        Finding(Code.COLUMNS_IGNORED, params={"columns": "Name, Status, Person ID"})
    ]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        (f"{HEADER}\r\n{_line()}\r\n", Delimiter.COMMA),
        (f"{HEADER}\n{_line()}\n".replace(",", ";"), Delimiter.SEMICOLON),
        (f"{HEADER}\r\n{_line()}\r\n".replace(",", "\t"), Delimiter.TAB),
        (f"sep=;\r\n{HEADER}\r\n{_line()}\r\n".replace(",", ";"), Delimiter.SEMICOLON),
        (f"{HEADER}\r{_line()}\r", Delimiter.COMMA),  # old Mac line endings
    ],
)
def test_cells_separated_by_commas_semicolons_or_tabs(text: str, delimiter: Delimiter) -> None:
    parsed = parse_text(text, TODAY)
    assert parsed.delimiter is delimiter
    assert parsed.valid and list(parsed.children) == ["C-1"]
    assert parsed.children["C-1"].row == 2  # Excel's "sep=" line is not a row


# --- Rows ---------------------------------------------------------------------------


def test_rows_with_the_wrong_number_of_cells_are_refused() -> None:
    parsed = _parse(
        _line(child_ref="A"),
        _line(child_ref="B") + ",,",  # blank cells after the last column are harmless
        _line(child_ref="C", venue="Room 1, Hall") + ",x",  # an unquoted comma
        "D,Dee,2012-05-01",
    )
    assert _codes(parsed) == [(Code.WRONG_CELL_COUNT, 4, None), (Code.WRONG_CELL_COUNT, 5, None)]
    assert parsed.row_problems[0].params == {"found": 16, "expected": 14}
    assert set(parsed.children) == {"A", "B"}


def test_required_cells_and_lengths() -> None:
    parsed = _parse(
        _line(child_ref="", preferred_name="", date_of_birth="", iro_email=""),
        _line(child_ref="C" * 61, preferred_name="N" * 101),
        _line(child_ref="V", review_ref="R", review_type="initial", review_date="2026-01-01")[:-1]
        + "V" * 201
        + ",",
    )
    assert _codes(parsed) == [
        (Code.REQUIRED, 2, Column.CHILD_REF),
        (Code.REQUIRED, 2, Column.PREFERRED_NAME),
        (Code.REQUIRED, 2, Column.DATE_OF_BIRTH),
        (Code.REQUIRED, 2, Column.IRO_EMAIL),
        (Code.TOO_LONG, 3, Column.CHILD_REF),
        (Code.TOO_LONG, 3, Column.PREFERRED_NAME),
        (Code.TOO_LONG, 4, Column.VENUE),
    ]
    assert parsed.row_problems[-1].params == {"max": 200}
    assert _parse(_line(preferred_name="N" * 100, child_ref="C" * 60)).valid


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("uasc", "maybe", Code.NOT_YES_OR_NO),
        ("preferred_language", "klingon", Code.UNKNOWN_LANGUAGE),
        ("preferred_language", "prs", Code.UNKNOWN_LANGUAGE),  # Babel calls Dari fa_AF
        ("communication_needs", "interpreter hugs", Code.UNKNOWN_NEED),
        ("iro_email", "jo at testshire", Code.NOT_AN_EMAIL),
        ("review_type", "annual", Code.UNKNOWN_REVIEW_TYPE),
        ("review_status", "done", Code.UNKNOWN_STATUS),
        ("review_time", "2pm", Code.NOT_A_TIME),
    ],
)
def test_values_that_are_not_allowed(column: str, value: str, code: Code) -> None:
    review = {"review_ref": "R-1", "review_type": "initial", "review_date": "2026-01-05"}
    parsed = _parse(_line(**{**review, column: value}))
    assert _codes(parsed) == [(code, 2, Column(column))]
    assert not parsed.children and not parsed.reviews


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("en_GB", "en_GB"),
        ("en-GB", "en_GB"),
        ("ar", "ar"),
        ("TI", "ti"),
        ("ps", "ps"),
        ("fa", "fa"),
        ("fa-af", "fa_AF"),
        ("ckb", "ckb"),
        ("am", "am"),
        ("", "en_GB"),
    ],
)
def test_languages_are_babel_locale_codes(written: str, stored: str) -> None:
    parsed = _parse(_line(preferred_language=written))
    assert parsed.children["C-1"].preferred_language == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("no", False),
        ("n", False),
        ("False", False),
        ("0", False),
        ("", False),
    ],
)
def test_uasc_yes_or_no(written: str, stored: bool) -> None:
    assert _parse(_line(uasc=written)).children["C-1"].uasc is stored


def test_communication_needs_in_a_fixed_order_without_repeats() -> None:
    parsed = _parse(_line(communication_needs="Symbols;read-aloud  interpreter; symbols"))
    assert parsed.children["C-1"].communication_needs == "interpreter read_aloud symbols"


def test_one_row_per_review_with_the_childs_details_repeated() -> None:
    parsed = _parse(
        _line(review_ref="R-1", review_type="Initial", review_date="26/09/2025",
              review_time="14:30", venue="Family Centre", review_status="Held"),
        _line(review_ref="R-2", review_type="Pathway plan", review_date="2026-03-20",
              review_status="Stood down", date_of_birth="1/5/2012"),
        _line(child_ref="C-2", preferred_name="Bo"),
    )  # fmt: skip
    assert parsed.valid and parsed.rows_read == 3
    assert list(parsed.children) == ["C-1", "C-2"]
    assert parsed.reviews == [
        ReviewRow("R-1", "C-1", ReviewKind.INITIAL, date(2025, 9, 26), time(14, 30),
                  "Family Centre", "held"),
        ReviewRow("R-2", "C-1", ReviewKind.PATHWAY_PLAN, date(2026, 3, 20), None, "",
                  "stood_down"),
    ]  # fmt: skip
    assert [r.row for r in parsed.reviews] == [2, 3]


def test_a_review_needs_its_type_date_and_reference() -> None:
    parsed = _parse(
        _line(review_ref="R-1"),
        _line(child_ref="C-2", review_date="2026-01-01", venue="Hall"),
    )
    assert _codes(parsed) == [
        (Code.REQUIRED, 2, Column.REVIEW_TYPE),
        (Code.REQUIRED, 2, Column.REVIEW_DATE),
        (Code.REVIEW_WITHOUT_REF, 3, Column.REVIEW_REF),
    ]


def test_the_same_child_with_different_details_is_refused() -> None:
    parsed = _parse(
        _line(),
        _line(date_of_birth="01/05/2012", uasc="no"),  # the same details, written differently
        _line(preferred_name="Asha B", uasc="yes", iro_email="other@testshire.example"),
    )
    assert _codes(parsed) == [
        (Code.CHILD_DETAILS_DIFFER, 4, Column.PREFERRED_NAME),
        (Code.CHILD_DETAILS_DIFFER, 4, Column.UASC),
        (Code.CHILD_DETAILS_DIFFER, 4, Column.IRO_EMAIL),
    ]
    assert parsed.row_problems[0].params == {"ref": "C-1", "first_row": 2}


def test_each_childs_iro_is_kept_to_check_even_on_a_row_with_other_problems() -> None:
    parsed = _parse(
        _line(child_ref="A", iro_email="A@Testshire.example", date_of_birth="31/02/2012"),
        _line(child_ref="A", iro_email="a@testshire.example"),
        _line(child_ref="", iro_email="b@testshire.example"),
        _line(child_ref="C", iro_email="not an email"),
    )
    assert parsed.iro_emails == {2: "a@testshire.example", 4: "b@testshire.example"}


def test_a_review_reference_twice_is_refused() -> None:
    review = {"review_type": "initial", "review_date": "2026-01-01"}
    parsed = _parse(
        _line(review_ref="R-1", **review),
        _line(child_ref="C-2", review_ref="R-1", **review),
        _line(review_ref="R-1", **review),
    )
    assert _codes(parsed) == [
        (Code.DUPLICATE_REVIEW_REF, 3, Column.REVIEW_REF),
        (Code.DUPLICATE_REVIEW_REF, 4, Column.REVIEW_REF),
    ]
    assert parsed.row_problems[0].params == {"ref": "R-1", "first_row": 2}


def test_every_problem_in_every_row_is_listed_in_reading_order() -> None:
    parsed = _parse(
        _line(child_ref="A", date_of_birth="31/02/2012", uasc="maybe", iro_email="x"),
        _line(child_ref="B"),
        _line(child_ref="C", came_into_care_on="12/25/2025", review_ref="R", review_type="?"),
    )
    assert [(p.row, p.column) for p in parsed.row_problems] == [
        (2, Column.DATE_OF_BIRTH),
        (2, Column.UASC),
        (2, Column.IRO_EMAIL),
        (4, Column.CAME_INTO_CARE_ON),
        (4, Column.REVIEW_TYPE),
        (4, Column.REVIEW_DATE),
    ]
    assert list(parsed.children) == ["B"]


def test_control_characters_are_taken_out_and_text_kept_on_one_line() -> None:
    parsed = _parse(_line(preferred_name='"\x07Asha\x1b\r\n  Rose\x7f"', venue=""))
    assert parsed.children["C-1"].preferred_name == "Asha Rose"


def test_right_to_left_names_and_emoji_are_kept() -> None:
    parsed = _parse(_line(preferred_name="أمير 🌟", preferred_language="ar"))
    assert parsed.children["C-1"].preferred_name == "أمير 🌟"


def test_formula_cells_are_kept_as_typed_text_with_a_note() -> None:
    attack = "=cmd|' /C calc'!A0"
    review = {"review_ref": "+R", "review_type": "initial", "review_date": "2026-01-01"}
    parsed = _parse(_line(child_ref="-1", preferred_name=f'"{attack}"', venue="@SUM(A1)", **review))
    assert parsed.valid
    assert parsed.children["-1"].preferred_name == attack
    assert parsed.reviews[0].venue == "@SUM(A1)" and parsed.reviews[0].ref == "+R"
    assert [(n.code, n.row, n.column, n.params) for n in parsed.notes] == [
        (Code.FORMULA_KEPT_AS_TEXT, 2, Column.CHILD_REF, {"first": "-"}),
        (Code.FORMULA_KEPT_AS_TEXT, 2, Column.PREFERRED_NAME, {"first": "="}),
        (Code.FORMULA_KEPT_AS_TEXT, 2, Column.REVIEW_REF, {"first": "+"}),
        (Code.FORMULA_KEPT_AS_TEXT, 2, Column.VENUE, {"first": "@"}),
    ]


def test_the_quote_an_export_puts_before_a_formula_is_taken_off() -> None:
    parsed = _parse(_line(preferred_name="'=1+1"), _line(child_ref="C-2", preferred_name="'Tis"))
    assert parsed.children["C-1"].preferred_name == "=1+1"
    assert parsed.children["C-2"].preferred_name == "'Tis"


def test_long_values_are_shortened_in_problems() -> None:
    parsed = _parse(_line(uasc="y" * 500))
    assert parsed.row_problems[0].params["value"] == "y" * 39 + "…"


def test_column_letters() -> None:
    assert [case_import.column_letter(n) for n in (0, 13, 25, 26, 27, 701, 702)] == [
        "A",
        "N",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_the_values_match_the_portals_records() -> None:
    from portal.models import CommunicationNeed, ReviewStatus

    assert tuple(s.value for s in ReviewStatus) == case_import.REVIEW_STATUSES
    assert tuple(n.value for n in CommunicationNeed) == case_import.COMMUNICATION_NEEDS


def test_the_template_reads_back_without_problems_but_its_iro_is_fictional() -> None:
    text = csv_text(case_import.COLUMNS, case_import.example_rows())
    parsed = parse_text(text, TODAY)
    assert parsed.valid and len(parsed.children) == 1 and len(parsed.reviews) == 1
    assert parsed.children["EXAMPLE-0001"].iro_email.endswith(".example")


# --- Properties ---------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_problems_not_errors(data: bytes) -> None:
    parsed = read_upload(data, TODAY)
    assert parsed.readable or parsed.file_problems


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_under_the_header_gives_problems_not_errors(text: str) -> None:
    parsed = parse_text(f"{HEADER}\n{text}", TODAY)
    assert isinstance(parsed.valid, bool)


_text_cell = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: case_import.clean_text(s) == s)
_day = st.dates(min_value=date(2001, 1, 1), max_value=date(2026, 11, 20))


@st.composite
def _child_and_reviews(draw: st.DrawFn) -> tuple[ChildRow, list[ReviewRow]]:
    born = draw(st.dates(min_value=date(2001, 1, 1), max_value=date(2026, 1, 1)))
    came = draw(st.dates(min_value=born, max_value=TODAY))
    child = ChildRow(
        ref=draw(_text_cell),
        preferred_name=draw(_text_cell),
        date_of_birth=born,
        came_into_care_on=came,
        uasc=draw(st.booleans()),
        preferred_language=draw(st.sampled_from(["en_GB", "ar", "ti", "ps", "fa_AF", "ckb"])),
        communication_needs=" ".join(
            n for n in case_import.COMMUNICATION_NEEDS if draw(st.booleans())
        ),
        iro_email="jo.iro@testshire.example",
    )
    refs = draw(st.lists(_text_cell, max_size=3, unique=True))
    reviews = [
        ReviewRow(
            ref=ref,
            child_ref=child.ref,
            kind=draw(st.sampled_from(list(ReviewKind))),
            planned_on=draw(st.dates(min_value=came, max_value=date(2030, 1, 1))),
            planned_time=draw(st.none() | st.times().map(lambda t: time(t.hour, t.minute))),
            venue=draw(st.just("") | _text_cell),
            status=draw(st.sampled_from(case_import.REVIEW_STATUSES)),
        )
        for ref in refs
    ]
    return child, reviews


@settings(max_examples=100, deadline=None)
@given(_child_and_reviews())
def test_what_the_portal_exports_it_reads_back_unchanged(
    made: tuple[ChildRow, list[ReviewRow]],
) -> None:
    child, reviews = made
    rows = [case_import.cells(child, r) for r in reviews] or [case_import.cells(child, None)]
    parsed = parse_text(csv_text(case_import.COLUMNS, rows), TODAY)
    assert parsed.valid, parsed.row_problems
    assert parsed.children == {child.ref: child}
    assert parsed.reviews == reviews
