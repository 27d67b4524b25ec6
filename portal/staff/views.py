"""The IRO's side: their children's consultations, and acting on safety concerns."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.core import messages, people
from portal.core.people import current_staff, staff_required
from portal.data import audit, caseload
from portal.domain.consultation_forms import form_version
from portal.extensions import db, limiter
from portal.models import AuditAction, Consultation
from portal.staff.forms import SafetyActionForm, StaffSignInForm
from portal.staff.presenting import answered_questions

bp = Blueprint("staff", __name__, url_prefix="/staff")

MAX_FAILED_SIGN_INS = 10


def _failed(response: Response) -> bool:
    return response.status_code != 302


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"], deduct_when=_failed)
def sign_in() -> Response | str:
    form = StaffSignInForm()
    if form.validate_on_submit():
        staff = caseload.staff_by_email(form.email.data or "")
        hasher = current_app.extensions["secret_hasher"]
        if staff is not None and staff.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            form.email.errors.append(str(messages.STAFF_LOCKED))
        elif (
            staff is not None
            and staff.active
            and hasher.verify_password(staff.password_hash, form.password.data or "")
        ):
            staff.failed_sign_ins = 0
            people.sign_in_staff(staff)
            audit.record(staff, AuditAction.SIGNED_IN, from_address=request.remote_addr)
            db.session.commit()
            return redirect(url_for("staff.consultations"))
        else:
            if staff is not None:
                staff.failed_sign_ins += 1
                audit.record(staff, AuditAction.SIGN_IN_FAILED, from_address=request.remote_addr)
                db.session.commit()
            form.email.errors.append(str(messages.WRONG_STAFF_SIGN_IN))
    return render_template("staff/sign_in.html", form=form, reason=request.args.get("reason"))


@bp.post("/sign-out")
def sign_out() -> Response:
    people.sign_out()
    return redirect(url_for("staff.sign_in"))


@bp.get("/")
@staff_required
def consultations() -> str:
    rows = caseload.child_consultations(current_staff())
    return render_template("staff/consultations.html", rows=rows)


def _audit(action: AuditAction, consultation_id: int) -> None:
    """Record what the signed-in member of staff did to a consultation, and from where."""
    audit.record(
        current_staff(),
        action,
        subject_type="consultation",
        subject_id=consultation_id,
        from_address=request.remote_addr,
    )


def _visible(consultation_id: int) -> Consultation:
    staff = current_staff()
    consultation = caseload.visible_consultation(staff, consultation_id)
    if consultation is None:
        # Someone guessing ids should be seen doing it.
        _audit(AuditAction.DENIED, consultation_id)
        db.session.commit()
        abort(404)
    return consultation


@bp.get("/consultations/<id:consultation_id>")
@staff_required
def consultation(consultation_id: int) -> str:
    found = _visible(consultation_id)
    _audit(AuditAction.VIEWED_CONSULTATION, found.id)
    db.session.commit()
    return _consultation_page(found, SafetyActionForm())


@bp.post("/consultations/<id:consultation_id>/safety")
@staff_required
def record_safety_action(consultation_id: int) -> Response | str:
    found = _visible(consultation_id)
    form = SafetyActionForm()
    if form.validate_on_submit():
        caseload.clear_concerns(found, current_staff(), form.action_taken.data or "")
        _audit(AuditAction.CLEARED_SAFETY_CONCERN, found.id)
        db.session.commit()
        return redirect(url_for("staff.consultation", consultation_id=found.id))
    return _consultation_page(found, form)


def _consultation_page(found: Consultation, safety_form: SafetyActionForm) -> str:
    return render_template(
        "staff/consultation.html",
        consultation=found,
        child=found.invitation.review.child,
        review=found.invitation.review,
        form_declaration=form_version(found.form_key, found.form_version),
        answered=answered_questions(found),
        open_concerns=[c for c in found.safety_concerns if c.cleared_at is None],
        safety_form=safety_form,
    )
