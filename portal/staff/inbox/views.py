"""Each review's consultations: reading one, printing it for the case file, acting on safety."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from portal.data import caseload
from portal.domain.access import Capability
from portal.extensions import db
from portal.models import AuditAction, Consultation, utcnow
from portal.questionnaires.declarations import form_version
from portal.questionnaires.presenting import answered_questions
from portal.staff import auditing, reachable
from portal.staff.inbox.forms import SafetyActionForm
from portal.web.people import capability_required, current_staff

bp = Blueprint("inbox", __name__)

# Reading children's consultations is for those who work with children (not administrators).
_READ = Capability.MANAGE_CHILDREN


@bp.get("/consultations/<id:consultation_id>")
@capability_required(_READ)
def consultation(consultation_id: int) -> str:
    found = reachable.consultation(consultation_id)
    auditing.record(AuditAction.VIEWED_CONSULTATION, "consultation", found.id)
    db.session.commit()
    return _consultation_page(found, SafetyActionForm())


@bp.get("/consultations/<id:consultation_id>/print")
@capability_required(_READ)
def printable(consultation_id: int) -> str:
    found = reachable.consultation(consultation_id)
    auditing.record(AuditAction.PRINTED_CONSULTATION, "consultation", found.id)
    db.session.commit()
    return render_template(
        "staff/inbox/printable.html", now=utcnow(), **_consultation_context(found)
    )


@bp.post("/consultations/<id:consultation_id>/safety")
@capability_required(_READ)
def record_safety_action(consultation_id: int) -> Response | str:
    found = reachable.consultation(consultation_id)
    form = SafetyActionForm()
    if form.validate_on_submit():
        caseload.clear_concerns(found, current_staff(), form.action_taken.data or "")
        auditing.record(AuditAction.CLEARED_SAFETY_CONCERN, "consultation", found.id)
        db.session.commit()
        return redirect(url_for(".consultation", consultation_id=found.id))
    return _consultation_page(found, form)


def _consultation_context(found: Consultation) -> dict[str, object]:
    return {
        "consultation": found,
        "invitation": found.invitation,
        "child": found.invitation.review.child,
        "review": found.invitation.review,
        "questionnaire": form_version(found.form_key, found.form_version),
        "answered": answered_questions(found),
        "open_concerns": [c for c in found.safety_concerns if c.cleared_at is None],
    }


def _consultation_page(found: Consultation, safety_form: SafetyActionForm) -> str:
    return render_template(
        "staff/inbox/consultation.html", safety_form=safety_form, **_consultation_context(found)
    )
