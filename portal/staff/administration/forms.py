"""Forms for accounts, the authority's settings and marking IROs away."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.data.retention import RETENTION_FIELDS
from portal.domain import accounts as rules
from portal.domain import deadlines, retention
from portal.domain.audiences import Audience
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
WHOLE_MONTHS = _l("Enter a whole number of months from %(low)s to %(high)s")
WHOLE_DAYS = _l("Enter a whole number of days from %(low)s to %(high)s")
DUE_DAYS = retention.Bounds(
    low=0, high=deadlines.MOST_DAYS_BEFORE_REVIEW, default=deadlines.OTHERS_DAYS_BEFORE_REVIEW
)
READING_AGE = retention.Bounds(low=6, high=18, default=9)
LETTER_WORKING_DAYS = retention.Bounds(low=1, high=60, default=20)
PLAN_WORKING_DAYS = retention.Bounds(low=0, high=20, default=3)
WHOLE_YEARS = _l("Enter a whole number of years from %(low)s to %(high)s")
WRITING_FIELDS = (
    "reading_age_goal",
    "outcomes_due_working_days",
    "letter_due_working_days",
    "plan_shared_working_days",
)
OUTCOMES_WORKING_DAYS = retention.Bounds(low=1, high=20, default=5)
GLOSSARY_LINE = _l("Write each line as a word, then =, then what to say instead")
DUE_DAYS_FIELDS = (
    "child_views_due_days",
    "parent_views_due_days",
    "professional_views_due_days",
)
WHOLE_HOURS = _l("Enter a whole number of hours from %(low)s to %(high)s")


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


class PeriodField(StringField):
    """How long a kind of record is kept: a whole number within ``bounds``, kept as typed
    so a mistake can be shown back; ``number`` holds it once valid.

    A post without the field at all (sent by something other than this page) leaves the
    stored period as it is: ``number`` stays None.
    """

    number: int | None = None

    def __init__(
        self, label: Any, *, bounds: retention.Bounds, message: Any, **kwargs: Any
    ) -> None:
        super().__init__(label, **kwargs)
        self.bounds = bounds
        self.message = message

    def pre_validate(self, form: Any) -> None:
        self.number = None
        if not self.raw_data:
            return
        self.number = retention.parse_period(self.data or "", self.bounds)
        if self.number is None:
            raise ValidationError(
                str(self.message) % {"low": self.bounds.low, "high": self.bounds.high}
            )


class KeptUnlessSentRadioField(RadioField):
    """Radios whose stored choice stays as it is when a post does not include them at
    all (sent by something other than this page): ``data`` is then None."""

    def pre_validate(self, form: Any) -> None:
        if not self.raw_data:
            self.data = None
            return
        super().pre_validate(form)


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
    advocacy_email = EmailField(
        _l("Advocacy service email address (optional)"),
        description=_l(
            "When a child asks for an advocate, the portal emails this address once, with "
            "the child’s first name, the date of their review and the IRO team’s phone "
            "number. Never their answers."
        ),
        filters=[clean_answer_text, _lower],
        validators=[Optional(), _too_long(rules.MAX_EMAIL_LENGTH), email_format],
    )
    default_answer_audience = KeptUnlessSentRadioField(
        _l("Who can read a child’s answers unless they choose"),
        description=_l(
            "Children choose who can read each answer they write in their own words. This "
            "is where the choice starts. Answers only for the IRO, and answers about "
            "feeling safe, are always for the IRO only."
        ),
        choices=[
            SelectChoice(value=Audience.MEETING.value, label=_l("Everyone at the meeting")),
            SelectChoice(
                value=Audience.IRO_AND_SOCIAL_WORKER.value,
                label=_l("The IRO and the social worker"),
            ),
            SelectChoice(value=Audience.IRO.value, label=_l("Only the IRO")),
        ],
        invalid_choice_message=messages.CHOOSE_AN_OPTION,
    )
    # Which participation rate the figures show first (portal.domain.participation);
    # the choices, each with its definition, are set by the view.
    participation_measure = KeptUnlessSentRadioField(
        _l("How the participation rate is counted"),
        description=_l(
            "The figures and the annual report show this definition first, and say it "
            "beside the rate. The others can still be chosen on the figures page."
        ),
        invalid_choice_message=messages.CHOOSE_AN_OPTION,
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
    # How long records are kept (see portal.domain.retention for the defaults and why).
    keep_consultations_months = PeriodField(
        _l("Months to keep consultations after the review"),
        description=_l(
            "Each invitation, with the answers, safety concerns and messages that go with "
            "it, is deleted this many months after the day of the review."
        ),
        bounds=retention.CONSULTATIONS_MONTHS,
        message=WHOLE_MONTHS,
    )
    keep_parked_answers_hours = PeriodField(
        _l("Hours to keep answers sent after a sign-in ended"),
        description=_l(
            "They are shown back to the person if they sign in again within a day, and "
            "never after that."
        ),
        bounds=retention.PARKED_ANSWERS_HOURS,
        message=WHOLE_HOURS,
    )
    keep_sessions_days = PeriodField(
        _l("Days to keep the record of a sign-in after it ends"),
        bounds=retention.SESSIONS_DAYS,
        message=WHOLE_DAYS,
    )
    keep_deliveries_months = PeriodField(
        _l("Months to keep the record of letters, emails and text messages"),
        description=_l("When each was sent and whether it arrived."),
        bounds=retention.DELIVERIES_MONTHS,
        message=WHOLE_MONTHS,
    )
    keep_audit_months = PeriodField(
        _l("Months to keep the audit trail"),
        description=_l("Who opened or changed which record, and when."),
        bounds=retention.AUDIT_MONTHS,
        message=WHOLE_MONTHS,
    )

    # Days before the review views are due, per role (carers' is fixed: 5 days).
    child_views_due_days = PeriodField(
        _l("Days before the review a child’s views are due"),
        bounds=DUE_DAYS,
        message=WHOLE_DAYS,
    )
    parent_views_due_days = PeriodField(
        _l("Days before the review a parent’s views are due"),
        bounds=DUE_DAYS,
        message=WHOLE_DAYS,
    )
    professional_views_due_days = PeriodField(
        _l("Days before the review a professional’s views are due"),
        description=_l("Health, education and other professionals."),
        bounds=DUE_DAYS,
        message=WHOLE_DAYS,
    )

    # Plans and letters (portal.domain.documents): the assistant's goal and glossary, and
    # the timescales delivery is measured against.
    reading_age_goal = PeriodField(
        _l("Reading age that plans and letters aim for"),
        description=_l("The writing assistant warns above it. The usual goal is 9."),
        bounds=READING_AGE,
        message=WHOLE_YEARS,
    )
    outcomes_due_working_days = PeriodField(
        _l("Working days after the review to share its outcomes with the child"),
        bounds=OUTCOMES_WORKING_DAYS,
        message=WHOLE_DAYS,
    )
    letter_due_working_days = PeriodField(
        _l("Working days after the review to publish the letter to the child"),
        bounds=LETTER_WORKING_DAYS,
        message=WHOLE_DAYS,
    )
    plan_shared_working_days = PeriodField(
        _l("Working days before the review to share the child’s plan"),
        bounds=PLAN_WORKING_DAYS,
        message=WHOLE_DAYS,
    )
    glossary = TextAreaField(
        _l("Your own words for the writing assistant (optional)"),
        description=_l(
            "One a line: a word children find hard, =, then what to say instead. For "
            "example: LAC = children in care. Leave the right side empty to stop a "
            "word being flagged."
        ),
        filters=[clean_answer_text],
        validators=[Optional(), _too_long(5_000)],
    )

    def validate_glossary(self, field: TextAreaField) -> None:
        lines = [line for line in (field.data or "").splitlines() if line.strip()]
        if any("=" not in line or not line.split("=", 1)[0].strip() for line in lines):
            raise ValidationError(GLOSSARY_LINE)

    def writing_numbers(self) -> dict[str, int]:
        """The writing timescales and goal sent and valid, by name."""
        return self._numbers(WRITING_FIELDS)

    def _numbers(self, names: tuple[str, ...]) -> dict[str, int]:
        return {
            field.name: field.number
            for field in self
            if isinstance(field, PeriodField) and field.name in names and field.number is not None
        }

    def retention_periods(self) -> dict[str, int]:
        """The periods sent and valid, by name."""
        return self._numbers(RETENTION_FIELDS)

    def due_days(self) -> dict[str, int]:
        """The due days sent and valid, by name."""
        return self._numbers(DUE_DAYS_FIELDS)


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
