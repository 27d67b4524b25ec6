from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from portal.domain.text import clean_answer_text
from portal.web import messages
from portal.web.forms import PortalForm


class SafetyActionForm(PortalForm):
    action_taken = TextAreaField(
        _l("What did you do?"),
        description=_l(
            "For example: spoke to the child, told the social worker, made a safeguarding referral."
        ),
        filters=[clean_answer_text],
        validators=[
            InputRequired(message=messages.DESCRIBE_ACTION),
            Length(max=5000, message=messages.ANSWER_TOO_LONG),
        ],
    )
