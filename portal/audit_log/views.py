"""The audit trail, for managers to read and filter."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("audit_log", __name__, url_prefix="/staff/audit")
