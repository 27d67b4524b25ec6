from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, ValidationError

from portal.domain.credentials import check_new_secret
from portal.domain.text import clean_answer_text
from portal.web import messages
from portal.web.forms import PortalForm


class CodeForm(PortalForm):
    code = StringField(
        _l("Your code"),
        description=_l("It is on your invitation, for example KX7-M4R-WAC"),
        validators=[InputRequired(message=messages.ENTER_CODE)],
        filters=[clean_answer_text],
    )


class SecretForm(PortalForm):
    secret = PasswordField(
        _l("Your PIN or secret word"),
        validators=[InputRequired(message=messages.ENTER_SECRET)],
    )


class NewSecretForm(PortalForm):
    secret = PasswordField(
        _l("Choose a PIN or a secret word"),
        description=_l(
            "A PIN is at least 4 numbers. A word is at least 4 letters. "
            "Choose something other people will not guess."
        ),
        validators=[InputRequired(message=messages.CHOOSE_SECRET)],
    )
    confirm = PasswordField(
        _l("Type it again"),
        validators=[
            InputRequired(message=messages.CONFIRM_SECRET),
            EqualTo("secret", message=messages.SECRETS_DIFFERENT),
        ],
    )

    def validate_secret(self, field: PasswordField) -> None:
        problem = check_new_secret(field.data or "")
        if problem is None:
            return
        raise ValidationError(
            {
                "too_short": messages.SECRET_TOO_SHORT,
                "pin_too_short": messages.PIN_TOO_SHORT,
                "too_long": messages.SECRET_TOO_LONG,
                "hidden_characters": messages.SECRET_HIDDEN_CHARACTERS,
            }[problem.code]
        )
