"""Importing children and reviews from the case management system's CSV export."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from portal.data import imports
from portal.domain import case_import
from portal.domain.access import Capability
from portal.domain.spreadsheets import csv_text
from portal.domain.timescales import today_in_england
from portal.extensions import csrf, db
from portal.models import AuditAction, ImportBatch
from portal.staff import auditing
from portal.staff.imports import messages
from portal.staff.imports.forms import ACCEPT, UploadForm
from portal.web.people import capability_required, current_staff

bp = Blueprint("imports", __name__, url_prefix="/import")

# The file may be 2 MB; the form around it adds a little. Anything bigger is refused
# here, before it is read, with the same message as a file just over the limit.
REQUEST_LIMIT = case_import.MAX_BYTES + 64 * 1024
AUDIT_FILENAME = 100


def _upload_page(form: UploadForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "staff/imports/upload.html",
        form=form,
        accept=ACCEPT,
        columns=case_import.COLUMNS,
        required=case_import.REQUIRED_COLUMNS,
        review_columns=(case_import.Column.REVIEW_TYPE, case_import.Column.REVIEW_DATE),
        column_help=messages.COLUMN_HELP,
        recent=imports.recent_batches(current_staff()),
    ), status


@bp.get("/")
@capability_required(Capability.IMPORT)
def upload() -> tuple[str, int]:
    return _upload_page(UploadForm())


@bp.post("/")
@csrf.exempt  # checked below, once the size of the upload is known to be reasonable
@capability_required(Capability.IMPORT)
def receive_upload() -> Response | tuple[str, int]:
    # The app allows 1 MB a request; a CSV export may be 2 MB. Reading the form here
    # (not in the CSRF check before the view) lets a file too big get a message on the
    # form rather than an error page.
    request.max_content_length = REQUEST_LIMIT
    try:
        request.files  # noqa: B018 - parses the upload, within the limit above
    except RequestEntityTooLarge:
        form = UploadForm(formdata=None)
        too_large = case_import.Finding(
            case_import.Code.TOO_LARGE,
            params={"max_mb": case_import.MAX_BYTES // (1024 * 1024)},
        )
        form.csv_file.errors = [messages.describe(too_large)]
        return _upload_page(form, 413)
    csrf.protect()

    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form)
    upload = form.csv_file.data
    parsed = case_import.read_upload(upload.read(case_import.MAX_BYTES + 1), today_in_england())
    if not parsed.readable:
        form.csv_file.errors = [messages.describe(p) for p in parsed.file_problems]
        return _upload_page(form)
    batch = imports.store_batch(current_staff(), upload.filename or "", parsed)
    db.session.commit()
    return redirect(url_for(".preview", batch_id=batch.id))


def _batch(batch_id: int) -> ImportBatch:
    batch = imports.batch_for(current_staff(), batch_id)
    if batch is None:
        auditing.refuse("import_batch", batch_id)
    return batch


def _preview_page(
    batch: ImportBatch,
    checked: imports.Preview | None,
    *,
    failed: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "staff/imports/preview.html",
        batch=batch,
        checked=checked,
        result=imports.batch_result(batch),
        encoding=imports.batch_encoding(batch),
        uploaded_by=imports.uploader_name(batch),
        same_file_imported_at=None if batch.imported_at else imports.same_file_imported_at(batch),
        failed=failed,
        describe=messages.describe,
        encodings=messages.ENCODINGS,
        delimiters=messages.DELIMITERS,
    ), status


@bp.get("/<id:batch_id>")
@capability_required(Capability.IMPORT)
def preview(batch_id: int) -> tuple[str, int]:
    batch = _batch(batch_id)
    if batch.imported_at is not None:
        return _preview_page(batch, None)
    checked = imports.preview(batch, today_in_england())
    auditing.record(
        AuditAction.PREVIEWED_IMPORT,
        "import_batch",
        batch.id,
        detail=batch.filename[:AUDIT_FILENAME],
    )
    db.session.commit()
    return _preview_page(batch, checked)


@bp.post("/<id:batch_id>")
@capability_required(Capability.IMPORT)
def run_import(batch_id: int) -> Response | tuple[str, int]:
    batch = _batch(batch_id)
    try:
        outcome = imports.import_batch(current_staff(), batch, today_in_england())
        if outcome.imported:
            auditing.record(
                AuditAction.IMPORTED,
                "import_batch",
                batch.id,
                detail=batch.filename[:AUDIT_FILENAME],
            )
            db.session.commit()
        else:
            db.session.rollback()
    except SQLAlchemyError:
        # All or nothing: whatever was written is undone, and the batch can be tried again.
        db.session.rollback()
        return _preview_page(
            batch, imports.preview(batch, today_in_england()), failed=True, status=500
        )
    if outcome.preview is not None and not outcome.imported:
        # Something changed since the preview (an IRO left, say): show what stops it now.
        return _preview_page(batch, outcome.preview)
    return redirect(url_for(".preview", batch_id=batch.id))


@bp.get("/export.csv")
# The export lists every child: only roles that work with children's records get it.
@capability_required(Capability.SEE_WHOLE_SERVICE)
def export() -> Response:
    staff = current_staff()
    rows = imports.export_rows(staff)
    filename = f"children-and-reviews-{today_in_england().isoformat()}.csv"
    auditing.record(AuditAction.EXPORTED, detail=filename)
    db.session.commit()
    return _csv_download(csv_text(case_import.COLUMNS, rows), filename)


@bp.get("/template.csv")
@capability_required(Capability.IMPORT)
def template() -> Response:
    return _csv_download(
        csv_text(case_import.COLUMNS, case_import.example_rows()),
        "children-and-reviews-template.csv",
    )


def _csv_download(body: str, filename: str) -> Response:
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
