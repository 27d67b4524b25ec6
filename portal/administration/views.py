"""Accounts, the authority's settings, and unlocking invitations."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("administration", __name__, url_prefix="/staff/admin")
