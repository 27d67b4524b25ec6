"""How an upload may be written (size, rows, encoding, separator) and reading its bytes as text."""

from __future__ import annotations

from enum import StrEnum

from portal.domain.case_import.findings import Code, Finding

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


class Encoding(StrEnum):
    UTF8 = "utf-8"
    UTF8_BOM = "utf-8-sig"
    UTF16 = "utf-16"
    WINDOWS_1252 = "windows-1252"


class Delimiter(StrEnum):
    COMMA = ","
    TAB = "\t"
    SEMICOLON = ";"


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
