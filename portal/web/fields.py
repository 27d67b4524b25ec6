"""Form fields shared by the staff areas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wtforms import DateField

from portal.web import messages

# What people type: the browser's date picker sends ISO; typed dates are usually UK order.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d.%m.%Y")


class UKDateField(DateField):
    """A date typed in ISO or UK order; anything else (31/02, 2-digit years) is a clear error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", list(DATE_FORMATS))
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        typed = " ".join(str(valuelist[0]).split())
        for pattern in DATE_FORMATS:
            try:
                parsed = datetime.strptime(typed, pattern).date()  # noqa: DTZ007 - a day
            except ValueError:
                continue
            if parsed.year >= 1900:
                self.data = parsed
                return
        self.data = None
        raise ValueError(str(messages.ENTER_A_DATE))
