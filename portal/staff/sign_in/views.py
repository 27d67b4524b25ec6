"""Staff sign-in: password, then a code from an authenticator app (mandatory for everyone).

Between the two steps the session holds only who passed the password and when;
nobody is signed in until the second factor is checked. Someone without an
authenticator yet sets one up there and then, and is shown recovery codes once.
"""

from __future__ import annotations

import time

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from portal.data import accounts, audit
from portal.data import two_factor as two_factor_data
from portal.domain import two_factor
from portal.domain.access import MAX_FAILED_SIGN_INS, sees_children
from portal.domain.sealing import UnreadableSecret
from portal.extensions import db, limiter
from portal.models import AuditAction, StaffUser, utcnow
from portal.staff import auditing
from portal.staff.sign_in.forms import (
    ConfirmForm,
    EnrolmentForm,
    StaffSignInForm,
    TwoFactorCodeForm,
)
from portal.staff.sign_in.presenting import qr_code_svg
from portal.web import messages, people
from portal.web.keys import secret_keys
from portal.web.people import current_staff, open_to_anyone

bp = Blueprint("sign_in", __name__)

# Session keys. PASSWORD_PASSED holds {"id": staff id, "at": epoch seconds}.
PASSWORD_PASSED = "staff_password_passed"  # noqa: S105 - a key name
ENROLMENT_SECRET = "staff_enrolment_secret"  # noqa: S105 - a key name
SECOND_STEP_SECONDS = 5 * 60


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _home(staff: StaffUser | None = None) -> str:
    staff = staff or current_staff()
    if sees_children(staff.role):
        return url_for("staff.caseload.home")
    return url_for("staff.administration.accounts")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"], deduct_when=_failed)
@open_to_anyone
def sign_in() -> Response | str:
    form = StaffSignInForm()
    if form.validate_on_submit():
        staff = accounts.staff_by_email(form.email.data or "")
        hasher = current_app.extensions["secret_hasher"]
        if staff is not None and staff.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            form.email.errors.append(str(messages.STAFF_LOCKED))
        elif (
            staff is not None
            and staff.active
            and hasher.verify_password(staff.password_hash, form.password.data or "")
        ):
            session.pop(ENROLMENT_SECRET, None)
            session[PASSWORD_PASSED] = {"id": staff.id, "at": int(time.time())}
            if not staff.two_factor_enrolled:
                return redirect(url_for(".set_up_two_factor"))
            return redirect(url_for(".enter_code"))
        else:
            if staff is not None:
                _count_failure(staff, AuditAction.SIGN_IN_FAILED)
            form.email.errors.append(str(messages.WRONG_STAFF_SIGN_IN))
    return render_template(
        "staff/sign_in/sign_in.html", form=form, reason=request.args.get("reason")
    )


def _count_failure(staff: StaffUser, action: AuditAction) -> None:
    accounts.count_failed_sign_in(staff)
    audit.record(staff, action, from_address=request.remote_addr)
    db.session.commit()


def _password_passed() -> StaffUser | None:
    """Who passed the password step in the last few minutes, if they may still sign in."""
    passed = session.get(PASSWORD_PASSED)
    if not isinstance(passed, dict) or time.time() - passed.get("at", 0) > SECOND_STEP_SECONDS:
        return None
    staff = db.session.get(StaffUser, passed.get("id"))
    if staff is None or not staff.active or staff.failed_sign_ins >= MAX_FAILED_SIGN_INS:
        return None
    return staff


def _back_to_password() -> Response:
    session.pop(PASSWORD_PASSED, None)
    session.pop(ENROLMENT_SECRET, None)
    return redirect(url_for(".sign_in", reason="second-step-expired"))


def _finish_sign_in(staff: StaffUser) -> None:
    session.pop(PASSWORD_PASSED, None)
    session.pop(ENROLMENT_SECRET, None)
    staff.failed_sign_ins = 0
    people.sign_in_staff(staff)
    audit.record(staff, AuditAction.SIGNED_IN, from_address=request.remote_addr)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"], deduct_when=_failed)
@open_to_anyone
def enter_code() -> Response | str:
    staff = _password_passed()
    if staff is None or not staff.two_factor_enrolled:
        return _back_to_password()
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        typed = form.code.data or ""
        unreadable = False
        try:
            good_code = two_factor_data.check_code(staff, typed, utcnow())
        except UnreadableSecret:
            # SECRET_KEY changed without the old one in SECRET_KEY_FALLBACKS (see README).
            current_app.logger.error("Staff user %s: authenticator key cannot be opened", staff.id)
            good_code, unreadable = False, True
        if good_code:
            _finish_sign_in(staff)
            db.session.commit()
            return redirect(_home(staff))
        if two_factor_data.use_recovery_code(staff, typed, secret_keys()):
            _finish_sign_in(staff)
            audit.record(staff, AuditAction.RECOVERY_CODE_USED, from_address=request.remote_addr)
            db.session.commit()
            return redirect(url_for(".two_factor_settings", recovered=1))
        # Counted even when the key is unreadable: recovery codes can still be guessed.
        _count_failure(staff, AuditAction.TWO_FACTOR_FAILED)
        if staff.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            return _back_to_password()
        form.code.errors.append(
            str(messages.TWO_FACTOR_NEEDS_RESET if unreadable else messages.WRONG_TWO_FACTOR_CODE)
        )
    return render_template("staff/sign_in/enter_code.html", form=form)


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"], deduct_when=_failed)
@open_to_anyone
def set_up_two_factor() -> Response | str:
    staff = _password_passed()
    if staff is None or staff.two_factor_enrolled:
        return _back_to_password()
    # The secret is only stored once the person proves their app has it.
    secret = session.get(ENROLMENT_SECRET)
    if not isinstance(secret, str):
        secret = session[ENROLMENT_SECRET] = two_factor.new_secret()
    form = EnrolmentForm()
    if form.validate_on_submit():
        step = two_factor.accepted_step(secret, form.code.data or "", utcnow(), None)
        if step is not None:
            codes = two_factor_data.enrol(staff, secret, step, current_app.config["SECRET_KEY"])
            audit.record(staff, AuditAction.TWO_FACTOR_ENROLLED, from_address=request.remote_addr)
            _finish_sign_in(staff)
            db.session.commit()
            # Shown in this response only: they are stored as HMACs.
            return render_template(
                "staff/sign_in/recovery_codes.html",
                codes=codes,
                first_time=True,
                next_url=_home(staff),
            )
        _count_failure(staff, AuditAction.TWO_FACTOR_FAILED)
        if staff.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            return _back_to_password()
        form.code.errors.append(str(messages.WRONG_TWO_FACTOR_CODE))
    issuer = staff.local_authority.service_name
    uri = two_factor.provisioning_uri(secret, staff.email, issuer)
    return render_template(
        "staff/sign_in/set_up_two_factor.html",
        form=form,
        qr_code=qr_code_svg(uri),
        typed_secret=two_factor.grouped(secret),
    )


@bp.get("/two-factor")
def two_factor_settings() -> str:
    return render_template(
        "staff/sign_in/two_factor.html",
        form=ConfirmForm(),
        codes_left=two_factor_data.recovery_codes_left(current_staff()),
        recovered=request.args.get("recovered") == "1",
        home_url=_home(),
    )


@bp.post("/two-factor/recovery-codes")
def renew_recovery_codes() -> Response | str:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for(".two_factor_settings"))
    codes = two_factor_data.renew_recovery_codes(current_staff(), current_app.config["SECRET_KEY"])
    auditing.record(AuditAction.RECOVERY_CODES_RENEWED, "staff_user", current_staff().id)
    db.session.commit()
    return render_template(
        "staff/sign_in/recovery_codes.html", codes=codes, first_time=False, next_url=_home()
    )


@bp.post("/sign-out")
@open_to_anyone
def sign_out() -> Response:
    if g.get("staff_user") is not None:
        auditing.record(AuditAction.SIGNED_OUT, "staff_user", current_staff().id)
        db.session.commit()
    people.sign_out()
    return redirect(url_for(".sign_in", reason="signed-out"))
