from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal.domain.text import clean_answer_text
from portal.web.forms import PortalForm

WRITE_YOUR_QUESTION = _l("Write your question, or what you do not agree with")
TOO_LONG = _l("Your message must be 5,000 characters or fewer")


class ReadForm(PortalForm):
    """Only a CSRF token: the "I've read it" button."""


class QuestionForm(PortalForm):
    message = TextAreaField(
        _l("Your question, or what you do not agree with"),
        description=_l("Your IRO reads this and will get back to you."),
        validators=[
            DataRequired(message=WRITE_YOUR_QUESTION),
            Length(max=5_000, message=TOO_LONG),
        ],
        filters=[clean_answer_text],
    )
