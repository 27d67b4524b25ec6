"""Children, reviews and the caseload page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("caseload", __name__, url_prefix="/staff")
