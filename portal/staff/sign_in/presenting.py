"""The enrolment QR code, drawn as inline SVG (no image request, no inline styles)."""

from __future__ import annotations

import segno
from flask_babel import gettext as _
from markupsafe import Markup, escape


def qr_code_svg(uri: str) -> Markup:
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, dark="#0b0c0c", light="#ffffff", border=4, omitsize=False
    )
    label = _("QR code to scan with your authenticator app")
    # segno's output is our own markup from a URI we built; the label is escaped.
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(labelled)  # noqa: S704
