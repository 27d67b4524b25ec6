"""Each review's consultations, reading one, printing it, and acting on safety concerns."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inbox", __name__, url_prefix="/staff")
