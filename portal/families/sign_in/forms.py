from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, ValidationError

from portal.domain.credentials import check_new_secret
from portal.domain.text import clean_answer_text
from portal.notifications.addresses import looks_like_email, normalise_uk_mobile
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


class ContactForm(PortalForm):
    contact = StringField(
        _l("Your email address or UK mobile number"),
        description=_l(
            "The one your invitations were sent to, or that you gave the reviewing team."
        ),
        validators=[InputRequired(message=messages.ENTER_CONTACT)],
        filters=[clean_answer_text],
    )

    def validate_contact(self, field: StringField) -> None:
        if self.email is None and self.mobile is None:
            raise ValidationError(messages.CONTACT_NOT_VALID)

    @property
    def email(self) -> str | None:
        text = (self.contact.data or "").strip()
        return text if "@" in text and looks_like_email(text) else None

    @property
    def mobile(self) -> str | None:
        text = self.contact.data or ""
        return None if "@" in text else normalise_uk_mobile(text)


class UseLinkForm(PortalForm):
    """Only a CSRF token: the button that spends a sign-in link."""
