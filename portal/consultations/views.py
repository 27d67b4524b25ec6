"""A consultation, one topic a page: thin views over the form engine and data layer."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal.consultations import form_builder
from portal.core import people
from portal.core.people import current_invitation, invitation_required
from portal.data import consultations as consultation_data
from portal.data import invitations as invitation_data
from portal.domain import routing
from portal.domain.consultation_forms import ConsultationForm, form_version
from portal.extensions import db
from portal.models import Consultation, ConsultationStatus
from portal.notifications.alerts import alert_staff_to_concern

from .choice import form_for_invitation, forms_on_offer

bp = Blueprint("consultations", __name__, url_prefix="/consultation")


@bp.record_once
def _recover_from_stale_forms(state: BlueprintSetupState) -> None:
    """A step posted with a stale CSRF token keeps its answers, as an expired session does."""
    state.app.extensions.setdefault("csrf_recovery", {})["consultations.step"] = lambda view_args: (
        park_unaccepted_post(view_args["consultation_id"], view_args["step_key"])
    )


def _own(consultation_id: int) -> tuple[Consultation, ConsultationForm]:
    consultation = consultation_data.own_consultation(current_invitation(), consultation_id)
    if consultation is None:
        abort(404)
    return consultation, form_version(consultation.form_key, consultation.form_version)


def _step_url(consultation: Consultation, step_key: str) -> str:
    if step_key == routing.CHECK_ANSWERS:
        return url_for("consultations.check", consultation_id=consultation.id)
    return url_for("consultations.step", consultation_id=consultation.id, step_key=step_key)


@bp.get("")
@invitation_required
def start() -> Response:
    invitation = current_invitation()
    consultation = consultation_data.start_or_resume(invitation, form_for_invitation(invitation))
    db.session.commit()
    if consultation.status == ConsultationStatus.SUBMITTED:
        return redirect(url_for("consultations.sent", consultation_id=consultation.id))
    form = form_version(consultation.form_key, consultation.form_version)
    # Answers kept from an expired session: back to the page they were on.
    parked_key = session.get(people.PARKED_ANSWERS)
    parked = consultation_data.peek_parked_answers(parked_key, consultation) if parked_key else None
    where = parked[0] if parked and form.step(parked[0]) else consultation.current_step
    return redirect(_step_url(consultation, routing.resume_step(form, where)))


def park_unaccepted_post(consultation_id: int, step_key: str) -> Response:
    """Keep what was posted when we cannot accept it, and ask the child to sign in again."""
    people.sign_out()
    posted = {k: v for k, v in request.form.items() if k != "csrf_token"}
    key = consultation_data.park_answers(consultation_id, step_key[:60], posted)
    db.session.commit()
    session[people.PARKED_ANSWERS] = key
    return redirect(url_for("invitations.enter_code", reason="kept"))


@bp.route("/<id:consultation_id>/<step_key>", methods=["GET", "POST"])
def step(consultation_id: int, step_key: str) -> Response | str:
    if g.get("invitation") is None:
        if request.method == "POST":
            return park_unaccepted_post(consultation_id, step_key)
        reason = "expired" if g.get("session_expired") else None
        return redirect(url_for("invitations.enter_code", reason=reason))
    consultation, form = _own(consultation_id)
    if consultation.status == ConsultationStatus.SUBMITTED:
        return redirect(url_for("consultations.sent", consultation_id=consultation.id))
    step = form.step(step_key)
    if step is None:
        abort(404)
    changing = request.args.get("change") == "1"
    kept = False

    if request.method == "POST":
        page = form_builder.step_form(form, step, formdata=request.form)
        if page.validate():
            next_key = routing.next_step(form, step.key, changing=changing)
            concerns = consultation_data.save_step(
                consultation,
                form,
                step,
                form_builder.values_of(page, step),
                str(get_locale()),
                next_key,
            )
            parked_key = session.pop(people.PARKED_ANSWERS, None)
            if parked_key:
                consultation_data.discard_parked_answers(parked_key)
            db.session.commit()
            if concerns:
                alert_staff_to_concern(consultation)  # never raises: the child's page goes on
                return redirect(
                    url_for(
                        "consultations.help_now", consultation_id=consultation.id, next=next_key
                    )
                )
            return redirect(_step_url(consultation, next_key))
    else:
        parked = _parked_for(consultation, step.key)
        if parked is not None:
            page = form_builder.step_form(form, step, formdata=MultiDict(parked))
            kept = True
        else:
            saved = consultation_data.answers_by_question(consultation)
            page = form_builder.step_form(
                form,
                step,
                saved={q.key: saved[q.key].value for q in step.questions if q.key in saved},
            )

    previous = routing.previous_step(form, step.key)
    return render_template(
        "consultations/step.html",
        consultation=consultation,
        form_declaration=form,
        step=step,
        page=page,
        position=routing.position(form, step.key),
        back_url=_step_url(consultation, previous)
        if previous and not changing
        else (_step_url(consultation, routing.CHECK_ANSWERS) if changing else None),
        changing=changing,
        kept=kept,
        other_forms=forms_on_offer(current_invitation(), form),
    )


def _parked_for(consultation: Consultation, step_key: str) -> dict[str, str] | None:
    key = session.get(people.PARKED_ANSWERS)
    if not key:
        return None
    parked = consultation_data.peek_parked_answers(key, consultation)
    if parked is None:
        session.pop(people.PARKED_ANSWERS, None)
        return None
    parked_step, payload = parked
    return payload if parked_step == step_key else None


@bp.get("/<id:consultation_id>/check")
@invitation_required
def check(consultation_id: int) -> Response | str:
    consultation, form = _own(consultation_id)
    if consultation.status == ConsultationStatus.SUBMITTED:
        return redirect(url_for("consultations.sent", consultation_id=consultation.id))
    return render_template(
        "consultations/check.html",
        consultation=consultation,
        form_declaration=form,
        answers=consultation_data.answers_by_question(consultation),
        back_url=_step_url(consultation, form.steps[-1].key),
    )


@bp.post("/<id:consultation_id>/submit")
@invitation_required
def submit(consultation_id: int) -> Response:
    consultation, _form = _own(consultation_id)
    consultation_data.submit(consultation)  # a second press changes nothing
    db.session.commit()
    return redirect(url_for("consultations.sent", consultation_id=consultation.id))


@bp.get("/<id:consultation_id>/sent")
@invitation_required
def sent(consultation_id: int) -> Response | str:
    consultation, _form = _own(consultation_id)
    if consultation.status != ConsultationStatus.SUBMITTED:
        return redirect(url_for("consultations.check", consultation_id=consultation.id))
    invitation = current_invitation()
    return render_template(
        "consultations/sent.html",
        consultation=consultation,
        review=invitation.review,
        iro=invitation_data.child_of(invitation).iro,
    )


@bp.get("/<id:consultation_id>/help-now")
@invitation_required
def help_now(consultation_id: int) -> str:
    consultation, form = _own(consultation_id)
    next_key = request.args.get("next", "")
    if next_key != routing.CHECK_ANSWERS and form.step(next_key) is None:
        next_key = routing.resume_step(form, consultation.current_step)
    return render_template(
        "consultations/help_now.html",
        consultation=consultation,
        next_url=_step_url(consultation, next_key),
        iro=invitation_data.child_of(current_invitation()).iro,
    )


@bp.post("/<id:consultation_id>/version")
@invitation_required
def switch_version(consultation_id: int) -> Response:
    consultation, form = _own(consultation_id)
    chosen = request.form.get("form_key", "")
    offered = {f.key: f for f in forms_on_offer(current_invitation(), form)}
    if chosen in offered and consultation.status == ConsultationStatus.STARTED:
        consultation_data.switch_form(consultation, offered[chosen])
        db.session.commit()
    return redirect(url_for("consultations.start"))
