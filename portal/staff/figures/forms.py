"""The figures' filters: a period and who to count. Sent with GET, so no CSRF token:
the page changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from portal.domain.report import ReportAgeBand
from portal.staff.caseload.forms import choices
from portal.staff.figures.words import AGE_BAND, MEASURES
from portal.web.fields import DateInputField
from portal.web.forms import PortalForm

ANYONE = ""


class FiguresFilterForm(PortalForm):
    class Meta(PortalForm.Meta):
        csrf = False

    from_day = DateInputField(_l("From"), validators=[Optional()])
    to_day = DateInputField(_l("To"), validators=[Optional()])
    iro = SelectField(_l("IRO"), choices=[], validate_choice=False)
    age_band = SelectField(
        _l("Age on the last day of the period"),
        choices=choices(
            [(ANYONE, _l("Any age"))] + [(b.value, AGE_BAND[b]) for b in ReportAgeBand]
        ),
        validate_choice=False,
    )
    uasc = SelectField(
        _l("Unaccompanied asylum-seeking children"),
        choices=choices(
            [(ANYONE, _l("All children")), ("yes", _l("Only UASC")), ("no", _l("Only not UASC"))]
        ),
        validate_choice=False,
    )
    language = SelectField(_l("Child's language"), choices=[], validate_choice=False)
    definition = SelectField(_l("Participation rate"), choices=[], validate_choice=False)

    def offer(self, *, iros: list[tuple[int, str]], languages: list[str]) -> None:
        shown_in = get_locale() or Locale("en", "GB")
        self.iro.choices = choices([(ANYONE, _l("Every IRO"))] + [(str(i), n) for i, n in iros])
        self.language.choices = choices(
            [(ANYONE, _l("Any language"))]
            + [(code, Locale.parse(code).get_display_name(shown_in) or code) for code in languages]
        )
        self.definition.choices = choices(list(MEASURES))

    def chosen(self, field: SelectField) -> str | None:
        """The value chosen, if it is one of the choices offered; anything else is ignored."""
        offered = {str(c.value) if hasattr(c, "value") else str(c[0]) for c in field.choices or []}
        value = field.data if isinstance(field.data, str) else None
        return value if value and value in offered else None

    def days(self) -> tuple[date | None, date | None]:
        def day(value: Any) -> date | None:
            return value if isinstance(value, date) else None

        return day(self.from_day.data), day(self.to_day.data)
