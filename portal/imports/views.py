"""Importing children and reviews from the case management system's CSV export."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/staff/import")
