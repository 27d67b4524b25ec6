"""Forms for accounts, the authority's settings and marking IROs away."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Field, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.domain import accounts as rules
from portal.domain.text import clean_answer_text
from portal.models import StaffRole
from portal.web import messages
from portal.web.forms import PortalForm

ENTER_NAME = _l("Enter their full name")
ENTER_STAFF_EMAIL = _l("Enter their email address")
ENTER_STAFF_PHONE = _l("Enter their phone number")
CHOOSE_ROLE = _l("Choose a role")
EMAIL_FORMAT = _l("Enter an email address in the right form, like name@example.gov.uk")
PHONE_FORMAT = _l(
    "Enter a phone number of 6 to 15 digits, using only numbers, spaces, brackets, + and -"
)
EMAIL_TAKEN = _l("There is already an account with this email address")
ENTER_SERVICE_NAME = _l("Enter the name of the service")
ENTER_TEAM_PHONE = _l("Enter the IRO team’s phone number")
ENTER_TEAM_EMAIL = _l("Enter the IRO team’s email address")
ENTER_ADVOCACY_NAME = _l("Enter the name of the advocacy service")
ENTER_ADVOCACY_PHONE = _l("Enter the advocacy service’s phone number")
CHOOSE_AWAY = _l("Say whether they are away")


def _lower(value: str | None) -> str:
    return rules.normalise_email(value or "")


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=messages.ANSWER_TOO_LONG)


def email_format(form: Any, field: Field) -> None:
    if field.data and not rules.looks_like_email(field.data):
        raise ValidationError(str(EMAIL_FORMAT))


def phone_format(form: Any, field: Field) -> None:
    if field.data and not rules.looks_like_phone(field.data):
        raise ValidationError(str(PHONE_FORMAT))


class NewAccountForm(PortalForm):
    name = StringField(
        _l("Full name"),
        filters=[clean_answer_text],
        validators=[InputRequired(message=ENTER_NAME), _too_long(200)],
    )
    email = EmailField(
        _l("Email address"),
        description=_l("They sign in with this. It must be theirs alone."),
        filters=[clean_answer_text, _lower],
        validators=[
            InputRequired(message=ENTER_STAFF_EMAIL),
            _too_long(rules.MAX_EMAIL_LENGTH),
            email_format,
        ],
    )
    phone = StringField(
        _l("Phone number"),
        description=_l("Children and families see their IRO’s number on every page."),
        filters=[clean_answer_text],
        validators=[InputRequired(message=ENTER_STAFF_PHONE), _too_long(40), phone_format],
    )
    role = RadioField(
        _l("Role"),
        choices=[
            SelectChoice(value=StaffRole.IRO.value, label=_l("IRO: their own caseload")),
            SelectChoice(
                value=StaffRole.MANAGER.value,
                label=_l("Manager: the whole service, cover and the audit trail"),
            ),
            SelectChoice(
                value=StaffRole.ADMINISTRATOR.value,
                label=_l("Administrator: accounts and settings, no child’s records"),
            ),
        ],
        invalid_choice_message=CHOOSE_ROLE,
    )


class SettingsForm(PortalForm):
    service_name = StringField(
        _l("Name of the service"),
        description=_l("Shown at the top of every page, for example “Your Voice, Testshire”."),
        filters=[clean_answer_text],
        validators=[InputRequired(message=ENTER_SERVICE_NAME), _too_long(200)],
    )
    iro_team_phone = StringField(
        _l("IRO team phone number"),
        filters=[clean_answer_text],
        validators=[InputRequired(message=ENTER_TEAM_PHONE), _too_long(40), phone_format],
    )
    iro_team_email = EmailField(
        _l("IRO team email address"),
        filters=[clean_answer_text],
        validators=[InputRequired(message=ENTER_TEAM_EMAIL), _too_long(200), email_format],
    )
    advocacy_service_name = StringField(
        _l("Advocacy service name"),
        filters=[clean_answer_text],
        validators=[InputRequired(message=ENTER_ADVOCACY_NAME), _too_long(200)],
    )
    advocacy_phone = StringField(
        _l("Advocacy service phone number"),
        filters=[clean_answer_text],
        validators=[InputRequired(message=ENTER_ADVOCACY_PHONE), _too_long(40), phone_format],
    )
    complaints_phone = StringField(
        _l("Complaints phone number (optional)"),
        filters=[clean_answer_text],
        validators=[Optional(), _too_long(40), phone_format],
    )
    complaints_email = EmailField(
        _l("Complaints email address (optional)"),
        filters=[clean_answer_text],
        validators=[Optional(), _too_long(200), email_format],
    )
    # Choices are the languages this deployment offers, set by the view.
    languages = SelectMultipleField(
        _l("Languages offered besides English"),
        description=_l(
            "English is always offered. Only languages whose translation is complete are listed."
        ),
        invalid_choice_message=messages.CHOOSE_AN_OPTION,
    )
    email_sender = RadioField(
        _l("How invitations and alerts are sent by email"),
        choices=[
            SelectChoice(value="none", label=_l("Not by email: printed letters only")),
            SelectChoice(value="smtp", label=_l("Our own email server (SMTP)")),
            SelectChoice(value="notify", label=_l("GOV.UK Notify")),
        ],
        invalid_choice_message=messages.CHOOSE_AN_OPTION,
    )
    sms_sender = RadioField(
        _l("How text messages are sent"),
        choices=[
            SelectChoice(value="none", label=_l("No text messages")),
            SelectChoice(value="notify", label=_l("GOV.UK Notify")),
        ],
        invalid_choice_message=messages.CHOOSE_AN_OPTION,
    )


class AwayForm(PortalForm):
    away = RadioField(
        _l("Are they away?"),
        choices=[
            SelectChoice(value="yes", label=_l("Yes, they are away")),
            SelectChoice(value="no", label=_l("No, they are at work")),
        ],
        invalid_choice_message=CHOOSE_AWAY,
    )
    # Choices are the colleagues who may cover (see portal.domain.accounts.may_cover).
    covered_by = SelectField(
        _l("Who covers their children while they are away?"),
        description=_l(
            "The person covering sees this IRO’s children and is told of their safety alerts. "
            "Managers are told of safety alerts too."
        ),
        default="",
        invalid_choice_message=messages.CHOOSE_AN_OPTION,
    )
