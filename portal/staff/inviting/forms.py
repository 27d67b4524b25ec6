from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation

from portal.domain.roles import InviteeRole, ProfessionalKind
from portal.domain.text import clean_answer_text
from portal.notifications.addresses import MAX_EMAIL_LENGTH, looks_like_email, normalise_uk_mobile
from portal.notifications.senders import Channel
from portal.web.forms import PortalForm

CHOOSE_ROLE = _l("Choose who you are inviting")
ENTER_NAME = _l("Enter their name")
NAME_TOO_LONG = _l("Their name must be 100 characters or fewer")
CHOOSE_LANGUAGE = _l("Choose a language")
CHOOSE_CHANNEL = _l("Choose how to send the invitation")
ENTER_INVITEE_EMAIL = _l("Enter their email address")
EMAIL_NOT_VALID = _l("Enter an email address in the right form, like name@example.com")
ENTER_MOBILE = _l("Enter their mobile phone number")
MOBILE_NOT_VALID = _l("Enter a UK mobile number, like 07700 900123 or +44 7700 900123")

# A professional is chosen with their kind, so each gets their own form: a teacher is
# never handed a child's form (and asked whether they feel safe at home), nor a nurse's.
PROFESSIONAL_CHOICE_PREFIX = f"{InviteeRole.PROFESSIONAL.value}:"
ROLE_CHOICES = [
    SelectChoice(InviteeRole.CHILD.value, _l("The child or young person")),
    SelectChoice(InviteeRole.PARENT.value, _l("A parent")),
    SelectChoice(
        InviteeRole.CARER.value, _l("A carer (foster carer, kinship carer or key worker)")
    ),
    SelectChoice(
        PROFESSIONAL_CHOICE_PREFIX + ProfessionalKind.HEALTH,
        _l("A health professional (children in care nurse, school nurse or GP)"),
    ),
    SelectChoice(
        PROFESSIONAL_CHOICE_PREFIX + ProfessionalKind.EDUCATION,
        _l("An education professional (designated teacher or Virtual School)"),
    ),
    SelectChoice(
        PROFESSIONAL_CHOICE_PREFIX + ProfessionalKind.OTHER,
        _l("Another professional (for example youth justice, a therapist or an advocate)"),
    ),
]
CHANNEL_LABELS = {
    Channel.LETTER: _l("A printed letter: you print it now, then post it or hand it over"),
    Channel.EMAIL: _l("Email"),
    Channel.SMS: _l("Text message"),
}


def _one_of_the_choices(message: Any) -> Any:
    def check(form: FlaskForm, field: Field) -> None:
        if field.data not in {choice.value for choice in field.choices or []}:
            raise StopValidation(message)

    return check


def _one_of_the_roles(form: FlaskForm, field: Field) -> None:
    if field.data not in {choice.value for choice in ROLE_CHOICES}:
        raise StopValidation(CHOOSE_ROLE)


class InviteForm(PortalForm):
    role = RadioField(
        _l("Who are you inviting?"),
        choices=ROLE_CHOICES,
        validate_choice=False,
        validators=[InputRequired(message=CHOOSE_ROLE), _one_of_the_roles],
    )
    name = StringField(
        _l("Their name"),
        description=_l("The name they like to be called. The invitation starts with it."),
        validators=[
            InputRequired(message=ENTER_NAME),
            Length(max=100, message=NAME_TOO_LONG),
        ],
        filters=[clean_answer_text],
    )
    language = SelectField(
        _l("Their language"),
        description=_l("The invitation and the form they fill in will be in this language."),
        validate_choice=False,
        validators=[
            InputRequired(message=CHOOSE_LANGUAGE),
            _one_of_the_choices(CHOOSE_LANGUAGE),
        ],
    )
    channel = RadioField(
        _l("How to send the invitation"),
        validate_choice=False,
        validators=[InputRequired(message=CHOOSE_CHANNEL), _one_of_the_choices(CHOOSE_CHANNEL)],
    )
    email = StringField(
        _l("Their email address (optional for a letter or text message)"),
        description=_l(
            "Needed to send it by email. A parent, carer or professional invited for "
            "several children with the same address signs in once and sees them all."
        ),
        filters=[clean_answer_text],
    )
    phone = StringField(
        _l("Their mobile phone number (optional for a letter or email)"),
        description=_l(
            "A UK mobile number. Needed to send it by text message; also lets them sign "
            "in once for all their invitations."
        ),
        filters=[clean_answer_text],
    )

    def set_choices(self, languages: list[tuple[str, str]], channels: list[Channel]) -> None:
        self.language.choices = [SelectChoice(code, name) for code, name in languages]
        self.channel.choices = [
            SelectChoice(channel.value, CHANNEL_LABELS[channel]) for channel in channels
        ]

    def validate_email(self, field: Field) -> None:
        if not field.data:
            if self.channel.data == Channel.EMAIL:
                raise StopValidation(ENTER_INVITEE_EMAIL)
            return
        if len(field.data) > MAX_EMAIL_LENGTH or not looks_like_email(field.data):
            raise StopValidation(EMAIL_NOT_VALID)

    def validate_phone(self, field: Field) -> None:
        if not field.data:
            if self.channel.data == Channel.SMS:
                raise StopValidation(ENTER_MOBILE)
            return
        if normalise_uk_mobile(field.data) is None:
            raise StopValidation(MOBILE_NOT_VALID)

    @property
    def invitee_role(self) -> InviteeRole:
        """The role chosen, once the form is valid."""
        role, _sep, _kind = (self.role.data or "").partition(":")
        return InviteeRole(role)

    @property
    def professional_kind(self) -> ProfessionalKind | None:
        _role, _sep, kind = (self.role.data or "").partition(":")
        return ProfessionalKind(kind) if kind else None

    @property
    def mobile_number(self) -> str:
        """The mobile number as +44…, once the form is valid."""
        return normalise_uk_mobile(self.phone.data or "") or ""


class ActionForm(PortalForm):
    """Only a CSRF token: for the buttons that reissue or stop an invitation."""
