"""Accounts, the authority's settings, who is away, and unlocking invitations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from portal.data import accounts as account_data
from portal.data import retention as retention_data
from portal.domain import accounts as rules
from portal.domain import translation_pack, translation_status
from portal.domain.access import MAX_FAILED_SIGN_INS, Capability, can
from portal.domain.authority_settings import enabled_language_codes, enabled_languages_value
from portal.domain.languages import (
    DEFAULT_LOCALE,
    KNOWN_LOCALES,
    TRANSLATED,
    public_message_ids,
)
from portal.domain.participation import ParticipationMeasure
from portal.extensions import db
from portal.models import AuditAction, StaffRole, StaffUser, utcnow
from portal.staff import auditing, labels
from portal.staff import participation_words as words
from portal.staff.administration.forms import (
    EMAIL_TAKEN,
    AwayForm,
    NewAccountForm,
    SettingsForm,
)
from portal.web.people import capability_required, current_staff

bp = Blueprint("administration", __name__, url_prefix="/admin")

_AREAS = (
    Capability.MANAGE_ACCOUNTS,
    Capability.MANAGE_SETTINGS,
    Capability.MARK_AWAY,
    Capability.UNLOCK_INVITATIONS,
)


@bp.get("/")
def index() -> str:
    role = current_staff().role
    allowed = {capability for capability in _AREAS if can(role, capability)}
    if not allowed:
        abort(404)
    return render_template(
        "staff/administration/index.html", allowed=allowed, Capability=Capability
    )


# --- Accounts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    account: StaffUser
    locked: bool

    @property
    def two_factor(self) -> bool:
        return self.account.two_factor_enrolled


def _row(account: StaffUser) -> AccountRow:
    return AccountRow(account, rules.is_locked_out(account.failed_sign_ins, MAX_FAILED_SIGN_INS))


def _account(staff_id: int) -> StaffUser:
    found = account_data.staff_account(current_staff(), staff_id)
    if found is None:
        auditing.refuse("staff_user", staff_id)
    return found


@bp.get("/accounts")
@capability_required(Capability.MANAGE_ACCOUNTS)
def accounts() -> str:
    rows = [_row(a) for a in account_data.staff_accounts(current_staff())]
    return render_template(
        "staff/administration/accounts.html", rows=rows, role_labels=labels.STAFF_ROLE
    )


@bp.route("/accounts/new", methods=["GET", "POST"])
@capability_required(Capability.MANAGE_ACCOUNTS)
def new_account() -> str:
    form = NewAccountForm()
    valid = form.validate_on_submit()
    email = form.email.data or ""
    if form.is_submitted() and not form.email.errors and account_data.email_in_use(email):
        # Said alongside any other mistakes, so they are all put right at once.
        form.email.errors.append(str(EMAIL_TAKEN))
        valid = False
    if valid:
        password = rules.new_initial_password()
        hasher = current_app.extensions["secret_hasher"]
        try:
            account = account_data.create_account(
                current_staff(),
                name=form.name.data or "",
                email=email,
                phone=form.phone.data or "",
                role=StaffRole(form.role.data),
                password_hash=hasher.hash_password(password),
            )
            auditing.record(
                AuditAction.CREATED_ACCOUNT, "staff_user", account.id, detail=account.role
            )
            db.session.commit()
        except IntegrityError:  # the same address added at the same moment elsewhere
            db.session.rollback()
            form.email.errors.append(str(EMAIL_TAKEN))
        else:
            # Shown once, on this response only: never in a URL, a log or the session.
            return render_template(
                "staff/administration/account_created.html",
                account=account,
                password=password,
                role_labels=labels.STAFF_ROLE,
            )
    return render_template("staff/administration/new_account.html", form=form)


def _account_page(account: StaffUser, problem: str | None = None) -> str:
    return render_template(
        "staff/administration/account.html",
        row=_row(account),
        is_me=account.id == current_staff().id,
        problem=problem,
        role_labels=labels.STAFF_ROLE,
    )


@bp.get("/accounts/<id:staff_id>")
@capability_required(Capability.MANAGE_ACCOUNTS)
def account(staff_id: int) -> str:
    return _account_page(_account(staff_id))


def _back_to(account: StaffUser) -> Response:
    return redirect(url_for(".account", staff_id=account.id))


@bp.post("/accounts/<id:staff_id>/disable")
@capability_required(Capability.MANAGE_ACCOUNTS)
def disable_account(staff_id: int) -> Response | str:
    account = _account(staff_id)
    if account.id == current_staff().id:
        return _account_page(
            account,
            _("You cannot disable your own account. Ask another administrator to do it."),
        )
    if account.active:
        account_data.disable(account)
        auditing.record(AuditAction.DISABLED_ACCOUNT, "staff_user", account.id)
        db.session.commit()
        flash(
            _(
                "%(name)s’s account is disabled. They have been signed out and cannot sign in.",
                name=account.display_name,
            )
        )
    return _back_to(account)


@bp.post("/accounts/<id:staff_id>/enable")
@capability_required(Capability.MANAGE_ACCOUNTS)
def enable_account(staff_id: int) -> Response:
    account = _account(staff_id)
    if not account.active:
        account_data.enable(account)
        auditing.record(AuditAction.ENABLED_ACCOUNT, "staff_user", account.id)
        db.session.commit()
        flash(_("%(name)s’s account is enabled again.", name=account.display_name))
    return _back_to(account)


@bp.post("/accounts/<id:staff_id>/unlock")
@capability_required(Capability.MANAGE_ACCOUNTS)
def unlock_account(staff_id: int) -> Response:
    account = _account(staff_id)
    if account.failed_sign_ins:
        account_data.unlock(account)
        auditing.record(AuditAction.ENABLED_ACCOUNT, "staff_user", account.id, detail="unlocked")
        db.session.commit()
        flash(_("%(name)s can try to sign in again.", name=account.display_name))
    return _back_to(account)


@bp.post("/accounts/<id:staff_id>/reset-two-factor")
@capability_required(Capability.MANAGE_ACCOUNTS)
def reset_two_factor(staff_id: int) -> Response | str:
    account = _account(staff_id)
    if account.id == current_staff().id:
        return _account_page(
            account,
            _("You cannot reset your own two-factor sign-in. Ask another administrator to do it."),
        )
    account_data.reset_two_factor(account)
    auditing.record(AuditAction.RESET_TWO_FACTOR, "staff_user", account.id)
    db.session.commit()
    flash(
        _(
            "%(name)s’s two-factor sign-in is reset. They have been signed out and will set "
            "up their authenticator app again when they next sign in.",
            name=account.display_name,
        )
    )
    return _back_to(account)


# --- Settings ---------------------------------------------------------------------------


def _language_choices() -> list[tuple[str, str]]:
    reader = get_locale() or Locale.parse(DEFAULT_LOCALE)
    offered = current_app.extensions["portal_languages"]
    return [
        (code, Locale.parse(code).get_display_name(reader) or code)
        for code in offered
        if code != DEFAULT_LOCALE
    ]


@bp.route("/settings", methods=["GET", "POST"])
@capability_required(Capability.MANAGE_SETTINGS)
def settings() -> Response | str:
    authority = account_data.authority_of(current_staff())
    enabled = enabled_language_codes(authority.enabled_languages)
    choices = _language_choices()
    shown = {code for code, _label in choices}
    # Filled from the record only to show it: a post is read as sent, so nothing unsent
    # is taken as an answer.
    form = (
        SettingsForm()
        if request.method == "POST"
        else SettingsForm(obj=authority, languages=[c for c in enabled if c in shown])
    )
    form.languages.choices = choices
    form.participation_measure.choices = [
        SelectChoice(
            str(measure),
            _(
                "%(name)s: %(definition)s",
                name=words.MEASURE_NAME[measure],
                definition=words.DEFINITION[measure],
            ),
        )
        for measure in ParticipationMeasure
    ]
    if form.validate_on_submit():
        values = {
            name: getattr(form, name).data or ""
            for name in account_data.SETTINGS_FIELDS
            if name in form
        }
        if not form.default_answer_audience.data:
            del values["default_answer_audience"]  # not sent: stays as it is
        if not form.participation_measure.data:
            del values["participation_measure"]
        # Languages enabled earlier whose translation is not offered now stay as they were.
        kept = [code for code in enabled if code not in shown]
        values["enabled_languages"] = enabled_languages_value(
            form.languages.data or [],
            order=[*KNOWN_LOCALES, *kept],
            always=DEFAULT_LOCALE,
            keep=kept,
        )
        changed = account_data.change_settings(authority, values)
        changed += retention_data.change_retention_periods(authority, form.retention_periods())
        changed += account_data.change_due_days(authority, form.due_days())
        changed += account_data.change_writing_settings(
            authority,
            form.writing_numbers(),
            form.glossary.data if form.glossary.raw_data else None,
        )
        if changed:
            auditing.record(
                AuditAction.CHANGED_SETTINGS,
                "local_authority",
                authority.id,
                detail=", ".join(changed),
            )
            db.session.commit()
            flash(_("The settings are saved."))
        else:
            flash(_("Nothing was changed."))
        return redirect(url_for(".settings"))
    return render_template(
        "staff/administration/settings.html", form=form, translations=_translation_statuses()
    )


def _translation_statuses() -> list[tuple[str, translation_status.TranslationStatus, bool]]:
    """Each language the portal has, with its status and whether that check still
    stands for the English the pages use now."""
    folder = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    statuses = translation_status.load(folder / "status.json")
    version = translation_pack.text_version(public_message_ids(folder))
    found = {
        code: statuses.get(code, translation_status.TranslationStatus()) for code in TRANSLATED
    }
    return [(code, status, status.is_current(version)) for code, status in found.items()]


# --- Away and cover ---------------------------------------------------------------------


@bp.get("/team")
@capability_required(Capability.MARK_AWAY)
def team() -> str:
    me = current_staff()
    return render_template(
        "staff/administration/team.html",
        people=account_data.team(me),
        covering=account_data.covering_for(me),
    )


@bp.route("/team/<id:staff_id>", methods=["GET", "POST"])
@capability_required(Capability.MARK_AWAY)
def team_member(staff_id: int) -> Response | str:
    me = current_staff()
    person = account_data.team_member(me, staff_id)
    if person is None:
        auditing.refuse("staff_user", staff_id)
    candidates = {str(c.id): c for c in account_data.cover_candidates(person)}
    form = (
        AwayForm()
        if request.method == "POST"
        else AwayForm(
            away="yes" if person.away else "no",
            covered_by=str(person.covered_by_id) if person.covered_by_id else "",
        )
    )
    form.covered_by.choices = [
        ("", _("No one")),
        *((key, _label_with_role(c)) for key, c in candidates.items()),
    ]
    if form.validate_on_submit():
        if form.away.data == "yes":
            cover = candidates.get(form.covered_by.data or "")
            account_data.mark_away(person, cover)
            detail = f"away, covered by {cover.id}" if cover else "away, no cover"
            message = (
                _(
                    "%(name)s is marked away. %(cover)s covers their children.",
                    name=person.display_name,
                    cover=cover.display_name,
                )
                if cover
                else _("%(name)s is marked away, with no one covering.", name=person.display_name)
            )
        else:
            account_data.mark_back(person)
            detail = "back"
            message = _("%(name)s is marked as at work.", name=person.display_name)
        auditing.record(AuditAction.CHANGED_AWAY, "staff_user", person.id, detail=detail)
        db.session.commit()
        flash(message)
        return redirect(url_for(".team"))
    return render_template("staff/administration/team_member.html", form=form, person=person)


def _label_with_role(staff: StaffUser) -> str:
    if staff.role == StaffRole.MANAGER:
        return _("%(name)s (manager)", name=staff.display_name)
    return _("%(name)s (IRO)", name=staff.display_name)


# --- Locked invitations -----------------------------------------------------------------


@bp.get("/locked-invitations")
@capability_required(Capability.UNLOCK_INVITATIONS)
def locked_invitations() -> str:
    return render_template(
        "staff/administration/locked_invitations.html",
        invitations=account_data.locked_invitations(current_staff()),
        role_labels=labels.INVITEE_ROLE,
        now=utcnow(),
    )


@bp.post("/locked-invitations/<id:invitation_id>/unlock")
@capability_required(Capability.UNLOCK_INVITATIONS)
def unlock_invitation(invitation_id: int) -> Response:
    invitation = account_data.invitation_in_authority(current_staff(), invitation_id)
    if invitation is None:
        auditing.refuse("invitation", invitation_id)
    if invitation.locked_at is not None:
        account_data.unlock_invitation(invitation)
        auditing.record(AuditAction.UNLOCKED_INVITATION, "invitation", invitation.id)
        db.session.commit()
        # No name here: flashed messages travel in the session cookie.
        flash(
            _(
                "The invitation is unlocked. Tell the person to sign in again with the code "
                "on their invitation: they will choose a new PIN or secret word."
            )
        )
    return redirect(url_for(".locked_invitations"))
