"""Children, reviews and the caseload page."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal.core.people import capability_required, current_staff
from portal.data import caseload
from portal.domain.access import Capability

bp = Blueprint("caseload", __name__, url_prefix="/staff")


@bp.get("/")
@capability_required(Capability.MANAGE_CHILDREN)
def home() -> str:
    rows = caseload.child_consultations(current_staff())
    return render_template("caseload/consultations.html", rows=rows)
