"""The audit trail's filter form, and readable names for what the trail records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import Field, SelectField, StringField
from wtforms.validators import ValidationError

from portal.domain.audit_search import days_in_order, parse_record_number
from portal.domain.dates import PARTS
from portal.domain.text import clean_answer_text
from portal.models import AuditAction, StaffUser
from portal.web import messages
from portal.web.fields import DateInputField
from portal.web.forms import PortalForm

FROM_AFTER_TO = _l("The date to search to must be the same as or after the date to search from")
NOT_A_RECORD_NUMBER = _l("Enter a record number in digits, for example 1234")

ACTION_LABELS: dict[str, LazyString] = {
    AuditAction.SIGNED_IN: _l("Signed in"),
    AuditAction.SIGN_IN_FAILED: _l("Sign-in failed"),
    AuditAction.VIEWED_CONSULTATION: _l("Read a consultation"),
    AuditAction.CLEARED_SAFETY_CONCERN: _l("Acted on a safety concern"),
    AuditAction.DENIED: _l("Refused a record outside their reach"),
    AuditAction.SIGNED_OUT: _l("Signed out"),
    AuditAction.TWO_FACTOR_FAILED: _l("Two-factor code wrong"),
    AuditAction.TWO_FACTOR_ENROLLED: _l("Set up two-factor sign-in"),
    AuditAction.RECOVERY_CODE_USED: _l("Used a recovery code"),
    AuditAction.RECOVERY_CODES_RENEWED: _l("Made new recovery codes"),
    AuditAction.VIEWED_CASELOAD: _l("Viewed a caseload"),
    AuditAction.VIEWED_CHILD: _l("Viewed a child’s record"),
    AuditAction.CREATED_CHILD: _l("Added a child"),
    AuditAction.CHANGED_CHILD: _l("Changed a child’s record"),
    AuditAction.REASSIGNED_CHILD: _l("Gave a child to another IRO"),
    AuditAction.VIEWED_REVIEW: _l("Viewed a review"),
    AuditAction.CREATED_REVIEW: _l("Added a review"),
    AuditAction.CHANGED_REVIEW: _l("Changed a review"),
    AuditAction.CHANGED_REVIEW_STATUS: _l("Changed a review’s status"),
    AuditAction.INVITED: _l("Invited someone"),
    AuditAction.REISSUED_INVITATION: _l("Sent an invitation again"),
    AuditAction.REVOKED_INVITATION: _l("Withdrew an invitation"),
    AuditAction.UNLOCKED_INVITATION: _l("Unlocked an invitation"),
    AuditAction.PRINTED_CONSULTATION: _l("Printed a consultation"),
    AuditAction.PREVIEWED_IMPORT: _l("Checked a file to import"),
    AuditAction.IMPORTED: _l("Imported a file"),
    AuditAction.EXPORTED: _l("Downloaded a spreadsheet"),
    AuditAction.EXPORTED_CHILD_RECORD: _l("Downloaded everything held about a child"),
    AuditAction.DELETED_EXPIRED: _l("Deleted records past their retention period"),
    AuditAction.CREATED_ACCOUNT: _l("Added a staff account"),
    AuditAction.DISABLED_ACCOUNT: _l("Disabled a staff account"),
    AuditAction.ENABLED_ACCOUNT: _l("Enabled or unlocked a staff account"),
    AuditAction.RESET_TWO_FACTOR: _l("Reset someone’s two-factor sign-in"),
    AuditAction.CHANGED_AWAY: _l("Marked someone away or back"),
    AuditAction.CHANGED_SETTINGS: _l("Changed the service’s settings"),
    AuditAction.VIEWED_AUDIT_TRAIL: _l("Read the audit trail"),
    AuditAction.VIEWED_DOCUMENT: _l("Opened a child’s plan or letter"),
    AuditAction.SAVED_DOCUMENT: _l("Saved a child’s plan or letter"),
    AuditAction.PUBLISHED_DOCUMENT: _l("Published a child’s plan or letter"),
    AuditAction.SAVED_TRANSLATION: _l("Saved a translation of a plan or letter"),
    AuditAction.RECORDED_REVIEW: _l("Recorded what happened at a review"),
    AuditAction.CONFIRMED_PARTICIPATION: _l("Confirmed a participation code"),
    AuditAction.VIEWED_FIGURES: _l("Viewed the participation figures"),
    AuditAction.EXPORTED_FIGURES: _l("Downloaded or printed the participation figures"),
}

# The days' boxes as the query string names them (and one value each, from older links):
# the filters carried to the next page and the download.
DAY_FILTERS = tuple(
    name
    for field in ("from_day", "to_day")
    for name in (field, *(f"{field}-{part}" for part in PARTS))
)

# The kinds of record the trail names, for the filter.
RECORD_TYPES: dict[str, LazyString] = {
    "child": _l("Child"),
    "review": _l("Review"),
    "invitation": _l("Invitation"),
    "consultation": _l("Consultation"),
    "staff_user": _l("Staff account"),
    "local_authority": _l("Service settings"),
    "import_batch": _l("Imported file"),
    "delivery": _l("Message sent"),
    "document": _l("Plan or letter"),
}

# Each kind with its number, as a whole phrase for translators.
_RECORD_WITH_NUMBER: dict[str, LazyString] = {
    "child": _l("Child %(number)s"),
    "review": _l("Review %(number)s"),
    "invitation": _l("Invitation %(number)s"),
    "consultation": _l("Consultation %(number)s"),
    "staff_user": _l("Staff account %(number)s"),
    "local_authority": _l("Service settings %(number)s"),
    "import_batch": _l("Imported file %(number)s"),
    "delivery": _l("Message sent %(number)s"),
    "document": _l("Plan or letter %(number)s"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def record_type_label(subject_type: str | None) -> str:
    if not subject_type:
        return ""
    label = RECORD_TYPES.get(subject_type)
    return str(label) if label is not None else subject_type


def record_label(subject_type: str | None, subject_id: int | None) -> str:
    if not subject_type:
        return ""
    if subject_id is None:
        return record_type_label(subject_type)
    template = _RECORD_WITH_NUMBER.get(subject_type)
    if template is None:
        return f"{subject_type} {subject_id}"  # a kind this list does not know yet
    return str(template % {"number": subject_id})


class DayField(DateInputField):
    """A day to search from or to: ``day`` is the date, once it is a real one."""

    @property
    def day(self) -> date | None:
        return self.data if isinstance(self.data, date) else None


def _record_number(form: Any, field: Field) -> None:
    if field.data and parse_record_number(field.data) is None:
        raise ValidationError(str(NOT_A_RECORD_NUMBER))


class AuditFilterForm(PortalForm):
    """Sent with GET: it changes nothing, so it has no CSRF token (``meta={"csrf": False}``)."""

    who = SelectField(
        _l("Member of staff"), default="", invalid_choice_message=messages.CHOOSE_AN_OPTION
    )
    action = SelectField(
        _l("What they did"), default="", invalid_choice_message=messages.CHOOSE_AN_OPTION
    )
    record_type = SelectField(
        _l("Type of record"), default="", invalid_choice_message=messages.CHOOSE_AN_OPTION
    )
    record_number = StringField(
        _l("Record number"), filters=[clean_answer_text], validators=[_record_number]
    )
    from_day = DayField(_l("From"))
    to_day = DayField(_l("To"))

    def offer(self, staff: Iterable[StaffUser]) -> None:
        """Fill the lists. Set here, as (value, label) pairs, for the select macro."""
        self.who.choices = [
            ("", _("Anyone")),
            *((str(person.id), person.display_name) for person in staff),
        ]
        self.action.choices = [
            ("", _("Anything")),
            *sorted(
                ((action.value, action_label(action)) for action in AuditAction),
                key=lambda choice: choice[1],
            ),
        ]
        self.record_type.choices = [
            ("", _("Any type")),
            *((key, str(label)) for key, label in RECORD_TYPES.items()),
        ]

    def validate_to_day(self, field: DayField) -> None:
        if not days_in_order(self.from_day.day, field.day):
            raise ValidationError(str(FROM_AFTER_TO))
