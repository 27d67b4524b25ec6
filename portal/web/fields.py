"""Form fields shared by the staff areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import Field
from wtforms.utils import unset_value

from portal.domain.dates import (
    MAX_YEAR,
    MIN_YEAR,
    PARTS,
    DatePart,
    DateProblem,
    DateReading,
    read_date,
    split_whole_date,
)

DATE_EXAMPLE = _l("For example, 27 3 2007")
DATE_PART_LABELS = {DatePart.DAY: _l("Day"), DatePart.MONTH: _l("Month"), DatePart.YEAR: _l("Year")}
# Characters each box is sized for.
DATE_PART_WIDTHS = {DatePart.DAY: 2, DatePart.MONTH: 2, DatePart.YEAR: 4}
# What is missing, as GOV.UK says it: one whole sentence for each case, to translate.
DATE_MISSING = {
    (DatePart.DAY,): _l("Date must include a day"),
    (DatePart.MONTH,): _l("Date must include a month"),
    (DatePart.YEAR,): _l("Date must include a year"),
    (DatePart.DAY, DatePart.MONTH): _l("Date must include a day and month"),
    (DatePart.DAY, DatePart.YEAR): _l("Date must include a day and year"),
    (DatePart.MONTH, DatePart.YEAR): _l("Date must include a month and year"),
}
DATE_NOT_REAL = _l("Date must be a real date")
DATE_YEAR_NOT_4_DIGITS = _l("Year must include 4 numbers")
DATE_YEAR_OUT_OF_RANGE = _l(
    "Year must be between %(first)s and %(last)s", first=MIN_YEAR, last=MAX_YEAR
)


def date_problem_message(reading: DateReading) -> LazyString:
    if reading.problem is DateProblem.MISSING_PARTS:
        return DATE_MISSING[reading.parts]
    if reading.problem is DateProblem.YEAR_NOT_4_DIGITS:
        return DATE_YEAR_NOT_4_DIGITS
    if reading.problem is DateProblem.YEAR_OUT_OF_RANGE:
        return DATE_YEAR_OUT_OF_RANGE
    return DATE_NOT_REAL


@dataclass(frozen=True)
class DateBox:
    """One of the three boxes, as the date_input macro renders it."""

    id: str
    name: str
    label: str
    width: int
    value: str
    invalid: bool


class DateInputField(Field):
    """A date asked the GOV.UK way: Day, Month and Year boxes in a fieldset
    (templates/components/fields.html, date_input). ``data`` is a ``datetime.date``.

    The boxes are sent as ``<name>-day``, ``<name>-month`` and ``<name>-year``. A date in
    one value under ``<name>`` (2024-12-31 or 31/12/2024, from a link or a script) is
    read too. Digits from any script count. What was typed is shown back as typed.

    ``id`` is the box to go to from the error summary: the first box at fault, else
    Day. The boxes' own ids, and the hint's and error's, come from ``base_id``.
    """

    typed: dict[DatePart, str] | None = None
    invalid_parts: tuple[DatePart, ...] = ()
    base_id = ""

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        example: LazyString | str = DATE_EXAMPLE,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.example = example

    @property
    def id(self) -> str:
        at_fault = self.invalid_parts if self.errors else ()
        return self.part_id(at_fault[0] if at_fault else DatePart.DAY)

    @id.setter
    def id(self, value: str) -> None:
        self.base_id = value

    def part_id(self, part: DatePart) -> str:
        return f"{self.base_id}-{part}"

    def part_name(self, part: DatePart) -> str:
        return f"{self.name}-{part}"

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.typed = None
        self.invalid_parts = ()
        if formdata is not None and any(self.part_name(part) in formdata for part in PARTS):
            self.typed = {part: str(formdata.get(self.part_name(part), "")) for part in PARTS}
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if self.typed is None:
            if not valuelist:
                return  # nothing sent for this date: keep the default or the record's
            whole = split_whole_date(str(valuelist[0]))
            if whole is None:
                self.data = None
                self.invalid_parts = PARTS
                raise ValueError(str(DATE_NOT_REAL))
            self.typed = dict(zip(PARTS, whole, strict=True))
        # InputRequired and Optional look at raw_data: empty only when no box has anything.
        self.raw_data = [" ".join(self.typed.values()).strip()]
        reading = read_date(*(self.typed[part] for part in PARTS))
        self.data = reading.day
        if reading.problem is not None and reading.problem is not DateProblem.NOTHING_TYPED:
            self.invalid_parts = reading.parts
            raise ValueError(str(date_problem_message(reading)))

    def boxes(self) -> list[DateBox]:
        """Each box with what to show in it. When the fault is the date as a whole (it
        is missing, in the future, or before another), every box is marked."""
        marked = (self.invalid_parts or PARTS) if self.errors else ()
        return [
            DateBox(
                id=self.part_id(part),
                name=self.part_name(part),
                label=str(DATE_PART_LABELS[part]),
                width=DATE_PART_WIDTHS[part],
                value=self._shown(part),
                invalid=part in marked,
            )
            for part in PARTS
        ]

    def _shown(self, part: DatePart) -> str:
        """What was typed, else the date held (the record's, or a suggested one)."""
        if self.typed is not None:
            return self.typed[part]
        return str(getattr(self.data, part)) if isinstance(self.data, date) else ""
