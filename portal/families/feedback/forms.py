"""Feedback after the review: one face, six quick questions, one line. All optional but
the face, so it takes under two minutes on a phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.domain.feedback import Face, YesNo
from portal.domain.text import clean_answer_text
from portal.web.forms import PortalForm

FACES = [
    SelectChoice(Face.GREAT.value, _l("Great")),
    SelectChoice(Face.GOOD.value, _l("Good")),
    SelectChoice(Face.OKAY.value, _l("OK")),
    SelectChoice(Face.NOT_GOOD.value, _l("Not good")),
]
YES_NO = [
    SelectChoice(YesNo.YES.value, _l("Yes")),
    SelectChoice(YesNo.NO.value, _l("No")),
    SelectChoice(YesNo.NOT_SURE.value, _l("I'm not sure")),
]


def _yes_no(label: str) -> RadioField:
    return RadioField(label, choices=YES_NO, validators=[Optional()])


class FeedbackForm(PortalForm):
    how_was_it = RadioField(
        _l("How was the meeting?"),
        choices=FACES,
        validators=[InputRequired(message=_l("Choose a face for how the meeting was"))],
    )
    right_place = _yes_no(_l("Was it where you wanted?"))
    right_day = _yes_no(_l("Was it on a day you wanted?"))
    right_time = _yes_no(_l("Was it at a time you wanted?"))
    asked_who_should_come = _yes_no(_l("Were you asked who should come?"))
    listened_to = _yes_no(_l("Did you feel listened to?"))
    understand_decisions = _yes_no(_l("Do you understand what was decided?"))
    make_it_better = TextAreaField(
        _l("What would make it better? (if you want to say)"),
        filters=[clean_answer_text],
        validators=[Length(max=1000, message=_l("Write 1000 characters or fewer"))],
    )
    anonymous = BooleanField(
        _l("Do not show my name with this"),
        description=_l(
            "Your IRO will not see who said it. The manager of the IROs can, if they need to."
        ),
    )
