"""Inviting people to give their views before a review, and how the invitation reaches them."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inviting", __name__, url_prefix="/staff")
