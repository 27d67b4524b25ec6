"""Importing children and reviews from a case management system's CSV export."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    Child,
    ImportBatch,
    Review,
    ReviewStatusChange,
    StaffRole,
)
from tests import factories
from tests.journeys import staff_signs_in

UPLOAD = "/staff/import/"
HEADER = (
    "child_ref,preferred_name,date_of_birth,came_into_care_on,uasc,preferred_language,"
    "communication_needs,iro_email,review_ref,review_type,review_date,review_time,venue,"
    "review_status"
)


def _signed_in_manager(client):  # type: ignore[no-untyped-def]
    la = factories.authority()
    manager = factories.staff(la, role=StaffRole.MANAGER, name="Mo Manager")
    iro = factories.staff(la, name="Jo Reviewer")
    db.session.commit()
    staff_signs_in(client, manager.email)
    return la, manager, iro


def _valid_file(iro_email: str) -> str:
    # Two reviews for Amir (his details repeated), one child with no review yet.
    return (
        "Child ID,Preferred name,DOB,Date became looked after,UASC,Preferred language,"
        "Communication needs,IRO email,Review ref,Review type,Review date,Review time,Venue,"
        "Review status\r\n"
        f"LL-1001,Amir,2010-02-03,01/09/2025,yes,ar,interpreter; read_aloud,{iro_email},"
        "R-1,initial,2025-09-26,14:30,Family Centre,held\r\n"
        f"LL-1001,Amir,03/02/2010,2025-09-01,y,ar,read_aloud interpreter,{iro_email.upper()},"
        "R-2,second,15/12/2025,,,\r\n"
        f"LL-1002,Zoë,2014-07-30,2026-01-05,no,,,{iro_email},,,,,,\r\n"
    )


def _upload(client, content: bytes | str, filename: str = "export.csv"):  # type: ignore[no-untyped-def]
    data = content.encode("utf-8") if isinstance(content, str) else content
    response = client.submit(UPLOAD, {"csv_file": (io.BytesIO(data), filename)})
    # The test client spools a big upload to a temporary file and leaves it open.
    response.request.environ["wsgi.input"].close()
    return response


def _preview_path(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def _import(client, path: str):  # type: ignore[no-untyped-def]
    return client.submit(path, {}, from_url=UPLOAD)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """What the page says, without its tags."""
    return (
        " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
        .replace(" ”", "”")
        .replace("“ ", "“")
    )


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _actions(action: AuditAction) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_upload_page_describes_the_columns_and_offers_a_template(client) -> None:
    _signed_in_manager(client)
    page = client.get(UPLOAD).text
    assert 'type="file"' in page and 'accept=".csv,text/csv"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "YYYY-MM-DD or DD/MM/YYYY" in page
    for column in ("child_ref", "came_into_care_on", "iro_email", "review_status"):
        assert f"<code>{column}</code>" in page
    assert 'href="/staff/import/template.csv"' in page

    template = client.get("/staff/import/template.csv")
    assert template.status_code == 200
    assert template.mimetype == "text/csv"
    assert template.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(template.get_data(as_text=True).lstrip("\ufeff"))))
    assert ",".join(rows[0]) == HEADER
    assert len(rows) == 2 and rows[1][0] == "EXAMPLE-0001"


def test_every_invalid_row_is_listed_with_its_reason_and_nothing_is_imported(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    elsewhere = factories.authority()
    their_iro = factories.staff(elsewhere)
    db.session.commit()
    content = (
        f"{HEADER}\r\n"
        f"C-1,Asha,2012-05-01,2025-09-01,no,en_GB,,{iro.email},R-1,initial,2025-09-20,,,\r\n"
        f"C-2,Bilal,31/02/2012,2025-09-01,no,,,{their_iro.email},,,,,,\r\n"
        f"C-3,Carys,2012-05-01,2025-09-01,maybe,klingon,,{iro.email},R-3,annual,12/25/2025,,,\r\n"
        f"C-4,Dev,2012-05-01,2025-09-01,no,,,{their_iro.email},,,,,,\r\n"
        f"C-5,Ella,01/05/12,2025-09-01,no,,,{iro.email},,,,,,\r\n"
        "C-6,Finn,2012-05-01\r\n"
    )
    preview = client.get(_preview_path(_upload(client, content, "problems.csv")))
    page = preview.text
    assert '<h1 class="heading-l">Fix the problems in this file</h1>' in page
    assert "<title>Error: Fix the problems in this file" in page
    assert "9 problems" in page
    expected = [
        ("3", "C: date_of_birth", "is not a real date"),
        ("3", "H: iro_email", "No active IRO or manager in your authority"),
        ("4", "E: uasc", "is not yes or no"),
        ("4", "F: preferred_language", "is not a language code we know"),
        ("4", "J: review_type", "is not a type of review"),
        ("4", "K: review_date", "has the month first, as in the US. Write the day first: "),
        ("5", "H: iro_email", "No active IRO or manager in your authority"),
        ("6", "C: date_of_birth", "has a 2-digit year"),
        ("7", "", "does not have the same number of cells as the first row"),
    ]
    position = 0
    for row, column, reason in expected:
        position = page.index(f"<td>{row}</td>", position)
        end = page.index("</tr>", position)
        cells = page[position:end]
        assert column in cells and reason in cells, (row, column, reason, cells)
        position = end
    assert "31/02/2012" in page and "25/12/2025" in page
    assert 'action="/staff/import/' + _preview_path_id(preview) not in page
    assert "<button" not in page.split("<main", 1)[1].split("</main>", 1)[0]

    # Pressing Import anyway (an old page, a crafted post) imports nothing at all.
    batch = db.session.scalars(select(ImportBatch)).one()
    refused = _import(client, f"/staff/import/{batch.id}")
    assert refused.status_code == 200 and "Fix the problems in this file" in refused.text
    assert _count(Child) == 0 and _count(Review) == 0
    assert db.session.get(ImportBatch, batch.id).imported_at is None
    assert _actions(AuditAction.IMPORTED) == []


def _preview_path_id(response) -> str:  # type: ignore[no-untyped-def]
    return response.request.path.rsplit("/", 1)[1]


def test_a_valid_file_imports_children_and_reviews_with_every_field(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    path = _preview_path(_upload(client, _valid_file(iro.email), "liquidlogic-export.csv"))
    page = client.get(path).text
    assert "Check before importing" in page
    assert "Read as" in page and "UTF-8" in page
    assert "Rows read" in page
    assert _count(Child) == 0  # the preview changes nothing

    done = _import(client, path)
    assert done.status_code == 302 and done.headers["Location"] == path
    result = client.get(path).text
    assert "Import complete" in result and "What the import did" in result

    amir = db.session.scalars(select(Child).where(Child.external_ref == "LL-1001")).one()
    assert (amir.local_authority_id, amir.preferred_name, amir.iro_id) == (la.id, "Amir", iro.id)
    assert (amir.date_of_birth, amir.came_into_care_on) == (date(2010, 2, 3), date(2025, 9, 1))
    assert amir.uasc is True
    assert amir.preferred_language == "ar"
    assert amir.communication_needs == "interpreter read_aloud"
    first, second = sorted(amir.reviews, key=lambda r: r.planned_on)
    assert (first.external_ref, first.kind, first.planned_on) == (
        "R-1",
        "initial",
        date(2025, 9, 26),
    )
    assert (first.planned_time, first.venue, first.status) == (
        time(14, 30),
        "Family Centre",
        "held",
    )
    assert (second.external_ref, second.kind, second.planned_on) == (
        "R-2",
        "second",
        date(2025, 12, 15),
    )
    assert (second.planned_time, second.venue, second.status) == (None, "", "planned")
    assert all(r.local_authority_id == la.id for r in amir.reviews)

    zoe = db.session.scalars(select(Child).where(Child.external_ref == "LL-1002")).one()
    assert (zoe.preferred_name, zoe.uasc, zoe.preferred_language) == ("Zoë", False, "en_GB")
    assert zoe.communication_needs == "" and zoe.reviews == []

    batch = db.session.scalars(select(ImportBatch)).one()
    assert batch.imported_at is not None and batch.filename == "liquidlogic-export.csv"
    previewed = _actions(AuditAction.PREVIEWED_IMPORT)
    imported = _actions(AuditAction.IMPORTED)
    assert [e.detail for e in imported] == ["liquidlogic-export.csv"]
    assert (imported[0].subject_type, imported[0].subject_id) == ("import_batch", batch.id)
    assert previewed and all(e.staff_user_id == manager.id for e in previewed + imported)


def test_the_same_file_twice_changes_nothing_and_says_so(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    _import(client, _preview_path(_upload(client, _valid_file(iro.email))))
    counts = (_count(Child), _count(Review), _count(ReviewStatusChange))

    # The same data again, even from a file that is not byte for byte the same.
    again = _valid_file(iro.email).replace("\r\n", "\n").replace("2010-02-03", "03/02/2010")
    path = _preview_path(_upload(client, again, "export-again.csv"))
    page = client.get(path).text
    assert "A file with exactly the same content was imported" not in page  # not the same bytes
    assert "Nothing to import" in page
    assert "No changes: everything in this file is already in the portal" in page
    assert 'action="' + path not in page  # no Import button
    done = _import(client, path)  # pressed anyway
    assert done.status_code == 302
    assert "No changes were needed" in client.get(path).text
    assert (_count(Child), _count(Review), _count(ReviewStatusChange)) == counts

    # Byte for byte the same file: also said so.
    same = _preview_path(_upload(client, _valid_file(iro.email)))
    page = client.get(same).text
    assert "A file with exactly the same content was imported on" in page
    assert "Nothing to import" in page


def test_a_change_of_status_is_imported_with_its_reason(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    _import(client, _preview_path(_upload(client, _valid_file(iro.email))))
    moved = _valid_file(iro.email).replace(
        "R-2,second,15/12/2025,,,", "R-2,second,15/12/2025,,,held"
    )
    path = _preview_path(_upload(client, moved))
    assert "1 review changes status" in client.get(path).text
    _import(client, path)
    review = db.session.scalars(select(Review).where(Review.external_ref == "R-2")).one()
    assert review.status == "held"
    change = db.session.scalars(select(ReviewStatusChange)).one()
    assert (change.review_id, change.from_status, change.to_status) == (
        review.id,
        "planned",
        "held",
    )
    assert change.reason == "Imported from the case management system"
    assert change.changed_by_id == manager.id and change.local_authority_id == la.id


def test_pressing_import_twice_imports_once(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    path = _preview_path(_upload(client, _valid_file(iro.email)))
    token = client.csrf_token(path)
    first = client.post(path, data={"csrf_token": token})
    second = client.post(path, data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert _count(Child) == 2 and _count(Review) == 2
    assert len(_actions(AuditAction.IMPORTED)) == 1
    assert "Import complete" in client.get(path).text


def test_a_database_error_imports_nothing(client, monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.data import imports

    la, manager, iro = _signed_in_manager(client)
    path = _preview_path(_upload(client, _valid_file(iro.email)))

    def broken(*args: object) -> object:
        raise OperationalError("INSERT INTO review", {}, Exception("disk full"))

    monkeypatch.setattr(imports, "_new_review", broken)
    failed = _import(client, path)
    assert failed.status_code == 500
    assert "Nothing was imported: the portal could not save the changes" in failed.text
    # The children were written before the reviews failed: they were rolled back too.
    assert _count(Child) == 0 and _count(Review) == 0
    assert db.session.scalars(select(ImportBatch)).one().imported_at is None

    monkeypatch.undo()
    assert _import(client, path).status_code == 302
    assert _count(Child) == 2 and _count(Review) == 2


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "empty.csv", "The selected file is empty"),
        (b"\r\n  \r\n", "blank.csv", "The selected file is empty"),
        (HEADER.encode() + b"\r\n", "header.csv", "has a row of column names but no rows"),
        (b"Forename,Age\r\nAsha,12\r\n", "other.csv", "The first row of the file must name"),
        (
            b"child_ref,preferred_name\r\nC-1,Asha\r\n",
            "partial.csv",
            "The file has no column for: date_of_birth, came_into_care_on, iro_email",
        ),
        (b"PK\x03\x04\x14\x00\x06\x00", "export.csv", "is an Excel workbook, not a CSV file"),
        (HEADER.encode() + b"\r\nC-1,A\x00sha\r\n", "nul.csv", "contains NUL characters"),
        (b"child_ref\r\n", "export.xlsx", "The selected file must be a CSV file"),
    ],
)
def test_files_that_cannot_be_read_get_a_clear_error_on_the_form(
    client, content: bytes, filename: str, message: str
) -> None:
    _signed_in_manager(client)
    response = _upload(client, content, filename)
    assert response.status_code == 200
    assert message in _text(response)
    assert "<title>Error: Import children and reviews" in response.text
    assert _count(ImportBatch) == 0


def test_no_file_chosen_gets_an_error(client) -> None:
    _signed_in_manager(client)
    response = client.submit(UPLOAD, {})
    assert "Select a CSV file to import" in response.text


@pytest.mark.parametrize(
    ("size", "status"),
    [
        (2 * 1024 * 1024 + 10, 200),  # just over 2 MB: read, then refused
        (3 * 1024 * 1024, 413),  # far over: refused before it is read
    ],
)
def test_a_file_over_2_mb_is_refused_on_the_form(client, size: int, status: int) -> None:
    la, manager, iro = _signed_in_manager(client)
    line = f"C-1,Asha,2012-05-01,2025-09-01,no,,,{iro.email},,,,,,\r\n"
    content = (HEADER + "\r\n" + line * (size // len(line) + 1)).encode()[:size]
    response = _upload(client, content, "huge.csv")
    assert response.status_code == status
    assert "The selected file must be smaller than 2 MB" in _text(response)
    assert 'type="file"' in response.text
    assert _count(ImportBatch) == 0


def test_more_than_5000_rows_are_refused(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    rows = "".join(
        f"C-{n},Asha,2012-05-01,2025-09-01,no,,,{iro.email},,,,,,\r\n" for n in range(5001)
    )
    response = _upload(client, f"{HEADER}\r\n{rows}")
    assert "The file has more than 5000 rows" in _text(response)
    assert _count(ImportBatch) == 0


def test_utf16_unicode_text_from_excel_is_read(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    # Excel's "Unicode text": UTF-16 with a byte order mark, cells separated by tabs.
    content = (
        HEADER.replace(",", "\t")
        + "\r\n"
        + "\t".join(
            ["T-1", "داويت", "2009-01-15", "2026-02-01", "yes", "ti", "interpreter", iro.email]
            + [""] * 6
        )
        + "\r\n"
    ).encode("utf-16")
    path = _preview_path(_upload(client, content, "unicode.txt"))
    page = client.get(path).text
    assert "UTF-16 (as Excel saves “Unicode text”)" in page
    assert "tabs" in page
    _import(client, path)
    child = db.session.scalars(select(Child)).one()
    assert (child.preferred_name, child.preferred_language, child.uasc) == ("داويت", "ti", True)


def test_windows_1252_is_read_when_the_bytes_are_not_utf8(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    content = (
        f"{HEADER}\r\nW-1,Zoë O’Neill,2011-03-04,2025-10-10,no,,,{iro.email},,,,,,\r\n"
    ).encode("cp1252")
    path = _preview_path(_upload(client, content))
    assert "Windows-1252" in client.get(path).text
    _import(client, path)
    assert db.session.scalars(select(Child)).one().preferred_name == "Zoë O’Neill"


def test_formula_cells_are_kept_as_text_and_exported_safely(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    attack = "=cmd|' /C calc'!A0"
    content = (
        f"{HEADER}\r\n"
        f'"{attack}","{attack}",2012-05-01,2025-09-01,no,,,{iro.email},'
        f"R-9,initial,2025-09-25,,\"@SUM(1+1)*cmd|' /C calc'!A0\",\r\n"
    )
    path = _preview_path(_upload(client, content, "formulas.csv"))
    page = client.get(path).text
    assert "It is kept as text and never run as a formula" in page
    _import(client, path)
    child = db.session.scalars(select(Child)).one()
    assert child.preferred_name == attack and child.external_ref == attack
    assert child.reviews[0].venue == "@SUM(1+1)*cmd|' /C calc'!A0"

    export = client.get("/staff/import/export.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert export.headers["Content-Disposition"].startswith('attachment; filename="children')
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert ",".join(rows[0]) == HEADER
    assert rows[1][0] == rows[1][1] == "'" + attack
    assert rows[1][12] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    exported = _actions(AuditAction.EXPORTED)
    assert len(exported) == 1 and exported[0].staff_user_id == manager.id

    # The portal's own export imports unchanged: the quote it adds is taken off again.
    again = _preview_path(_upload(client, export.get_data(), "round-trip.csv"))
    assert "Nothing to import" in client.get(again).text


def test_the_export_holds_only_the_authoritys_own_children(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    factories.child(la, iro, name="Ours")
    elsewhere = factories.authority()
    factories.child(elsewhere, factories.staff(elsewhere), name="Theirs")
    db.session.commit()
    body = client.get("/staff/import/export.csv").get_data(as_text=True)
    assert "Ours" in body and "Theirs" not in body


def test_an_iro_cannot_import_or_export(client) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    db.session.commit()
    staff_signs_in(client, iro.email)
    for path in (UPLOAD, "/staff/import/export.csv", "/staff/import/template.csv"):
        assert client.get(path).status_code == 404
    assert client.post(UPLOAD).status_code == 404
    assert _actions(AuditAction.EXPORTED) == []


def test_an_administrator_may_import(client) -> None:
    la = factories.authority()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    db.session.commit()
    staff_signs_in(client, admin.email)
    assert client.get(UPLOAD).status_code == 200


def test_signed_out_people_are_sent_to_sign_in(client) -> None:
    for path in (UPLOAD, "/staff/import/1", "/staff/import/export.csv"):
        assert client.get(path).headers["Location"].startswith("/staff/sign-in")


def test_an_upload_needs_the_forms_token(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    response = client.post(
        UPLOAD, data={"csv_file": (io.BytesIO(_valid_file(iro.email).encode()), "x.csv")}
    )
    assert response.status_code == 400
    assert _count(ImportBatch) == 0


def test_another_authoritys_batch_is_not_found_and_the_attempt_is_recorded(
    client, make_client
) -> None:
    la, manager, iro = _signed_in_manager(client)
    path = _preview_path(_upload(client, _valid_file(iro.email), "amir-and-zoe.csv"))
    batch_id = int(path.rsplit("/", 1)[1])

    elsewhere = factories.authority()
    outsider = factories.staff(elsewhere, role=StaffRole.MANAGER)
    db.session.commit()
    viewer = make_client()
    staff_signs_in(viewer, outsider.email)
    seen = viewer.get(path)
    assert seen.status_code == 404 and "Amir" not in seen.text and "amir-and-zoe" not in seen.text
    posted = viewer.submit(path, {}, from_url=UPLOAD)
    assert posted.status_code == 404
    assert _count(Child) == 0
    denied = _actions(AuditAction.DENIED)
    assert [
        (e.staff_user_id, e.local_authority_id, e.subject_type, e.subject_id) for e in denied
    ] == [(outsider.id, elsewhere.id, "import_batch", batch_id)] * 2
    assert "amir-and-zoe" not in viewer.get(UPLOAD).text  # nor in their recent uploads


def test_a_disabled_iro_or_another_authoritys_iro_is_a_row_problem(client) -> None:
    la, manager, iro = _signed_in_manager(client)
    away = factories.staff(la, name="Left Service")
    away.active = False
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    elsewhere = factories.authority()
    theirs = factories.staff(elsewhere)
    db.session.commit()
    content = f"{HEADER}\r\n" + "".join(
        f"C-{n},Child {n},2012-05-01,2025-09-01,no,,,{email},,,,,,\r\n"
        for n, email in enumerate([theirs.email, away.email, admin.email, manager.email])
    )
    page = client.get(_preview_path(_upload(client, content))).text
    assert page.count("No active IRO or manager in your authority") == 3
    for email in (theirs.email, away.email, admin.email):
        assert email in page
    assert "3 problems" in page


def test_administrators_import_but_cannot_download_childrens_records(client) -> None:
    from portal.models import StaffRole

    la = factories.authority()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    db.session.commit()
    staff_signs_in(client, admin.email)
    assert client.get("/staff/import/").status_code == 200
    assert "Download children and reviews" not in client.get("/staff/import/").text
    assert client.get("/staff/import/export.csv").status_code == 404
