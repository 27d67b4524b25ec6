from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from portal.web import messages
from portal.web.forms import PortalForm


class StaffSignInForm(PortalForm):
    email = EmailField(
        _l("Email address"),
        validators=[InputRequired(message=messages.ENTER_EMAIL), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=messages.ENTER_PASSWORD)]
    )


class TwoFactorCodeForm(PortalForm):
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l(
            "The 6 numbers your app shows now. Lost your phone? Enter one of your recovery "
            "codes instead."
        ),
        validators=[
            InputRequired(message=messages.ENTER_TWO_FACTOR_CODE),
            Length(max=40, message=messages.WRONG_TWO_FACTOR_CODE),
        ],
    )


class EnrolmentForm(PortalForm):
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("After adding the account, enter the 6 numbers the app shows."),
        validators=[
            InputRequired(message=messages.ENTER_TWO_FACTOR_CODE),
            Length(max=40, message=messages.WRONG_TWO_FACTOR_CODE),
        ],
    )


class ConfirmForm(PortalForm):
    """A form with only its CSRF token, for buttons that change something."""
