"""Each review's consultations: reading one, printing it for the case file, acting on safety."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from portal.data import advocacy as advocacy_data
from portal.data import caseload
from portal.data import consultations as consultation_data
from portal.domain.access import Capability
from portal.domain.audiences import Audience, Reader, may_read
from portal.extensions import db
from portal.models import AuditAction, Consultation, utcnow
from portal.questionnaires.declarations import form_version
from portal.questionnaires.presenting import AnsweredQuestion, answered_questions
from portal.staff import auditing, labels, reachable
from portal.staff.inbox.forms import SafetyActionForm
from portal.web.people import capability_required, current_staff

bp = Blueprint("inbox", __name__)

# Reading children's consultations is for those who work with children (not administrators).
_READ = Capability.MANAGE_CHILDREN

AUDIENCE_TAGS = {
    Audience.IRO: "purple",
    Audience.IRO_AND_SOCIAL_WORKER: "blue",
    Audience.MEETING: "green",
}
# The audit trail's note on a printable record made for the review meeting.
FOR_THE_MEETING = "for the meeting"


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


@bp.get("/consultations/<id:consultation_id>/print/meeting")
@capability_required(_READ)
def printable_for_meeting(consultation_id: int) -> str:
    """The record to share at the review meeting: only the answers meant for everyone
    there, and how many were left out."""
    found = reachable.consultation(consultation_id)
    auditing.record(
        AuditAction.PRINTED_CONSULTATION, "consultation", found.id, detail=FOR_THE_MEETING
    )
    db.session.commit()
    context = _consultation_context(found)
    everything: list[AnsweredQuestion] = context.pop("answered")  # type: ignore[assignment]
    shown = [item for item in everything if may_read(Reader.MEETING, item.answer.audience)]
    return render_template(
        "staff/inbox/printable.html",
        now=utcnow(),
        for_meeting=True,
        answered=shown,
        left_out=len(everything) - len(shown),
        **context,
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
        "audience_labels": labels.AUDIENCE,
        "audience_tags": AUDIENCE_TAGS,
        "audience_changes": consultation_data.audience_changes(found),
        "advocacy_requests": advocacy_data.advocacy_requests_for(found.invitation),
    }


def _consultation_page(found: Consultation, safety_form: SafetyActionForm) -> str:
    return render_template(
        "staff/inbox/consultation.html", safety_form=safety_form, **_consultation_context(found)
    )
