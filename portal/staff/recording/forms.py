"""Forms for recording a review held: the facts, then the participation code."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.validators import InputRequired, ValidationError

from portal.domain.review_records import AdvocateRole, Extent
from portal.domain.timescales import today_in_england
from portal.staff.caseload.forms import choices
from portal.staff.participation_words import ADVOCATE, ATTENDED, ATTENDEE, CHAIRED, code_label
from portal.web.fields import DateInputField
from portal.web.forms import PortalForm

YES, NO, NOT_KNOWN = "yes", "no", "not_known"
_TRI_STATE = [(YES, _l("Yes")), (NO, _l("No")), (NOT_KNOWN, _l("Not known"))]


def tri_state(value: str | None) -> bool | None:
    """ "yes" -> True, "no" -> False, anything else (not known) -> None."""
    return {YES: True, NO: False}.get(value or "")


def tri_state_value(value: bool | None) -> str:
    return YES if value else NO if value is False else NOT_KNOWN


def _not_in_future(form: PortalForm, field: Field) -> None:
    if field.data and field.data > today_in_england():
        raise ValidationError(str(_l("The day held must be today or in the past")))


class ReviewRecordForm(PortalForm):
    held_on = DateInputField(
        _l("Day the review was held"),
        validators=[InputRequired(message=_l("Enter the day the review was held")), _not_in_future],
    )
    attendees = SelectMultipleField(
        _l("Who came, besides the child and you"),
        description=_l("Select all that apply."),
        choices=choices([(a.value, label) for a, label in ATTENDEE.items()]),
        validate_choice=True,
    )
    child_attended = RadioField(
        _l("Did the child come to the meeting?"),
        choices=choices([(e.value, label) for e, label in ATTENDED.items()]),
        validators=[InputRequired(message=_l("Say whether the child came to the meeting"))],
    )
    child_chaired = RadioField(
        _l("Did the child chair the meeting?"),
        choices=choices([(e.value, label) for e, label in CHAIRED.items()]),
        validators=[InputRequired(message=_l("Say whether the child chaired the meeting"))],
    )
    child_spoke = RadioField(
        _l("Did the child speak for themselves at the meeting?"),
        description=_l("Answer No if they did not come."),
        choices=choices(_TRI_STATE),
        validators=[InputRequired(message=_l("Say whether the child spoke for themselves"))],
    )
    views_without_words = RadioField(
        _l("Did the child show their views at the meeting without words?"),
        description=_l(
            "For example with pictures, signs or symbols. Answer No if they did not come."
        ),
        choices=choices(_TRI_STATE),
        validators=[
            InputRequired(message=_l("Say whether the child showed their views without words"))
        ],
    )
    advocate = RadioField(
        _l("Advocate"),
        choices=choices([(a.value, label) for a, label in ADVOCATE.items()]),
        validators=[InputRequired(message=_l("Say whether there was an advocate"))],
    )
    interpreter = RadioField(
        _l("Was there an interpreter?"),
        choices=choices([(YES, _l("Yes")), (NO, _l("No"))]),
        validators=[InputRequired(message=_l("Say whether there was an interpreter"))],
    )
    views_another_way = RadioField(
        _l("Did the child's views reach you another way?"),
        description=_l(
            "For example a paper form, a phone call or a visit. Views sent through this "
            "portal are counted already."
        ),
        choices=choices(_TRI_STATE),
        validators=[
            InputRequired(message=_l("Say whether the child's views reached you another way"))
        ],
    )

    def __init__(self, *args: Any, born_on: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._born_on = born_on

    def validate_held_on(self, field: Field) -> None:
        if field.data and self._born_on and field.data < self._born_on:
            raise ValidationError(str(_l("The day held cannot be before the child was born")))

    def validate_child_chaired(self, field: Field) -> None:
        if self.child_attended.data == Extent.NONE and field.data not in (None, Extent.NONE):
            raise ValidationError(
                str(_l("A child who did not come to the meeting cannot have chaired it"))
            )

    def validate_advocate(self, field: Field) -> None:
        if field.data == AdvocateRole.PRESENT and self.child_attended.data == Extent.NONE:
            raise ValidationError(
                str(_l("Choose “An advocate spoke for the child” if the child did not come"))
            )


class ParticipationCodeForm(PortalForm):
    code = RadioField(
        _l("Participation code"),
        description=_l("The code describes what happened, so you confirm it."),
        choices=[],
        validators=[InputRequired(message=_l("Choose the participation code"))],
        # Checked against DfE rules 440 and 441 by the view, with the rule's own message.
        validate_choice=False,
    )

    def offer(self, codes: list[str]) -> None:
        self.code.choices = choices([(code, code_label(code)) for code in codes])
