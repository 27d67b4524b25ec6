"""Every form shares one base, so WTForms' own messages come from our catalogues."""

from __future__ import annotations

import re
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"


def test_no_form_subclasses_flask_wtf_directly() -> None:
    offenders = [
        str(path.relative_to(PORTAL))
        for path in PORTAL.rglob("*.py")
        if path.name != "forms.py" or path.parent.name != "web"
        if re.search(r"\(FlaskForm[,)]", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
