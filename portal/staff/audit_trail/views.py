"""The audit trail, for managers to read, filter and download. Nothing here changes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.data import audit
from portal.domain.access import Capability
from portal.domain.audit_search import AuditSearch, page_number, parse_record_number
from portal.domain.spreadsheets import csv_text
from portal.extensions import db
from portal.models import AuditAction, AuditEvent, utcnow
from portal.staff import auditing
from portal.staff.audit_trail.forms import (
    DAY_FILTERS,
    AuditFilterForm,
    action_label,
    record_label,
    record_type_label,
)
from portal.web.people import capability_required, current_staff

bp = Blueprint("audit_trail", __name__, url_prefix="/audit")

FILTERS = ("who", "action", "record_type", "record_number", *DAY_FILTERS)


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    who: str
    action: str
    record: str
    from_address: str
    detail: str


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/London"))


def _who(event: AuditEvent) -> str:
    return event.staff_user.display_name if event.staff_user is not None else _("Unknown")


def _row(event: AuditEvent) -> AuditRow:
    return AuditRow(
        at=event.at,
        who=_who(event),
        action=action_label(event.action),
        record=record_label(event.subject_type, event.subject_id),
        from_address=event.from_address,
        detail=event.detail,
    )


def _search() -> tuple[AuditFilterForm, AuditSearch | None]:
    """The filter form from the query string, and the search it asks for if it is valid."""
    form = AuditFilterForm(formdata=request.args, meta={"csrf": False})
    form.offer(audit.staff_in_authority(current_staff()))
    if not form.validate():
        return form, None
    return form, AuditSearch(
        staff_user_id=int(form.who.data) if form.who.data else None,
        action=form.action.data or None,
        subject_type=form.record_type.data or None,
        subject_id=parse_record_number(form.record_number.data or ""),
        from_day=form.from_day.day,
        to_day=form.to_day.day,
    )


def _filters() -> dict[str, str]:
    """The filters in use, to carry to the next page and the download."""
    return {name: value for name in FILTERS if (value := request.args.get(name, "").strip())}


def _page(form: AuditFilterForm, rows: list[AuditRow], page: int, has_next: bool) -> str:
    return render_template(
        "staff/audit_trail/trail.html",
        form=form,
        rows=rows,
        page=page,
        has_next=has_next,
        filters=_filters(),
    )


@bp.get("/")
@capability_required(Capability.READ_AUDIT_TRAIL)
def events() -> str:
    form, search = _search()
    if search is None:
        return _page(form, [], 1, False)
    page = page_number(request.args.get("page", type=int))
    events, has_next = audit.events_page(current_staff(), search, _zone(), page)
    rows = [_row(event) for event in events]
    detail = " ".join(part for part in (search.describe(), f"page={page}") if part)
    auditing.record(AuditAction.VIEWED_AUDIT_TRAIL, detail=detail)
    db.session.commit()
    return _page(form, rows, page, has_next)


@bp.get("/export.csv")
@capability_required(Capability.READ_AUDIT_TRAIL)
def export() -> Response | str:
    form, search = _search()
    if search is None:
        return _page(form, [], 1, False)
    events = audit.all_events(current_staff(), search, _zone())
    header = [
        _("When (UTC)"),
        _("Member of staff"),
        _("Email address"),
        _("What they did"),
        _("Type of record"),
        _("Record number"),
        _("From address"),
        _("Detail"),
    ]
    rows = [
        [
            event.at.isoformat(timespec="seconds"),
            _who(event),
            event.staff_user.email if event.staff_user is not None else "",
            action_label(event.action),
            record_type_label(event.subject_type),
            event.subject_id if event.subject_id is not None else "",
            event.from_address,
            event.detail,
        ]
        for event in events
    ]
    auditing.record(
        AuditAction.EXPORTED, detail=" ".join(("audit trail", search.describe())).strip()
    )
    db.session.commit()
    filename = f"audit-trail-{utcnow().date().isoformat()}.csv"
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
