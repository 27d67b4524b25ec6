"""Recording a review held: what happened, then the participation code (PN0 to PN7).

The IRO records the facts first; the portal sets PN0 for a child under 4 on the day,
or suggests one of PN1 to PN7 from the facts and from what the child sent through the
portal, and the IRO confirms the code on the next page. Every step is audited.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.data import feedback as feedback_data
from portal.data import review_records
from portal.domain import review_records as rules
from portal.domain.access import Capability, can
from portal.domain.participation import ParticipationCode
from portal.extensions import db
from portal.models import AuditAction, Review
from portal.notifications import feedback as asking
from portal.staff import auditing, reachable
from portal.staff.participation_words import (
    ADVOCATE,
    ATTENDED,
    ATTENDEE,
    CHAIRED,
    FACE,
    code_label,
)
from portal.staff.recording.forms import (
    ParticipationCodeForm,
    ReviewRecordForm,
    tri_state,
    tri_state_value,
)
from portal.web.people import capability_required, current_staff

bp = Blueprint("recording", __name__)

# Recording a review is the IRO's (and a manager's) work with the child's record.
_RECORD = Capability.MANAGE_CHILDREN


@bp.route("/reviews/<id:review_id>/record", methods=["GET", "POST"])
@capability_required(_RECORD)
def record(review_id: int) -> Response | str:
    found = reachable.review(review_id)
    if not review_records.can_be_recorded(found):
        abort(409)  # stood down or cancelled: it was not held
    form = ReviewRecordForm(born_on=found.child.date_of_birth)
    if request.method == "GET":
        _fill_form(form, found)
    if form.validate_on_submit():
        assert form.held_on.data is not None  # required
        facts = rules.ReviewFacts(
            held_on=form.held_on.data,
            child_attended=rules.Extent(form.child_attended.data),
            child_spoke=tri_state(form.child_spoke.data),
            views_without_words=tri_state(form.views_without_words.data),
            advocate=rules.AdvocateRole(form.advocate.data),
            views_another_way=tri_state(form.views_another_way.data),
        )
        recorded = review_records.record_facts(
            found,
            facts,
            attendees=form.attendees.data or [],
            child_chaired=rules.Extent(form.child_chaired.data),
            interpreter=form.interpreter.data == "yes",
            by=current_staff(),
        )
        auditing.record(AuditAction.RECORDED_REVIEW, "review", found.id)
        if recorded.marked_held:
            auditing.record(AuditAction.CHANGED_REVIEW_STATUS, "review", found.id, detail="held")
        if recorded.code_set is not None:
            auditing.record(
                AuditAction.CONFIRMED_PARTICIPATION, "review", found.id, detail=recorded.code_set
            )
        db.session.commit()
        if recorded.marked_held:
            # Held now: the child, parents and carers invited are asked how it went.
            asking.ask_for_feedback(found)
        if recorded.code_set is not None:
            return redirect(url_for(".summary", review_id=found.id))
        return redirect(url_for(".code", review_id=found.id))
    return render_template(
        "staff/recording/record.html", form=form, review=found, child=found.child
    )


def _fill_form(form: ReviewRecordForm, found: Review) -> None:
    form.held_on.data = found.held_on or found.planned_on
    form.attendees.data = found.attendee_list
    form.child_attended.data = found.child_attended
    form.child_chaired.data = found.child_chaired
    form.advocate.data = found.advocate
    if found.recorded_at is not None:
        form.child_spoke.data = tri_state_value(found.child_spoke)
        form.views_without_words.data = tri_state_value(found.views_without_words)
        form.views_another_way.data = tri_state_value(found.views_another_way)
        form.interpreter.data = "yes" if found.interpreter else "no"


@bp.route("/reviews/<id:review_id>/record/code", methods=["GET", "POST"])
@capability_required(_RECORD)
def code(review_id: int) -> Response | str:
    found = reachable.review(review_id)
    if found.held_on is None or not review_records.can_be_recorded(found):
        return redirect(url_for(".record", review_id=found.id))
    born, held_on = found.child.date_of_birth, found.held_on
    allowed = [c.value for c in rules.codes_for(born, held_on)]
    form = ParticipationCodeForm()
    form.offer(allowed)
    if request.method == "GET":
        form.code.data = found.participation_code or found.suggested_code
    if form.validate_on_submit():
        chosen = form.code.data or ""
        refused = rules.refused_code_reason(chosen, date_of_birth=born, held_on=held_on)
        if refused == "440":
            form.code.errors.append(
                _("PN0 is only for a child under 4 on the day the review was held (DfE rule 440)")
            )
        elif refused == "441":
            form.code.errors.append(
                _("A child under 4 on the day the review was held has PN0 (DfE rule 441)")
            )
        elif refused is not None:
            form.code.errors.append(_("Choose the participation code"))
        else:
            review_records.confirm_code(found, ParticipationCode(chosen), current_staff())
            auditing.record(AuditAction.CONFIRMED_PARTICIPATION, "review", found.id, detail=chosen)
            db.session.commit()
            return redirect(url_for(".summary", review_id=found.id))
    return render_template(
        "staff/recording/code.html",
        form=form,
        review=found,
        child=found.child,
        suggested=code_label(found.suggested_code) if found.suggested_code else None,
    )


@bp.get("/reviews/<id:review_id>/record/summary")
@capability_required(_RECORD)
def summary(review_id: int) -> str:
    found = reachable.review(review_id)
    auditing.record(AuditAction.VIEWED_REVIEW, "review", found.id)
    db.session.commit()
    return render_template(
        "staff/recording/summary.html",
        review=found,
        child=found.child,
        attendees=[ATTENDEE[rules.Attendee(a)] for a in found.attendee_list],
        attended=ATTENDED.get(rules.Extent(found.child_attended)) if found.child_attended else None,
        chaired=CHAIRED.get(rules.Extent(found.child_chaired)) if found.child_chaired else None,
        advocate=ADVOCATE.get(rules.AdvocateRole(found.advocate)) if found.advocate else None,
        code=code_label(found.participation_code) if found.participation_code else None,
        suggested=code_label(found.suggested_code) if found.suggested_code else None,
        feedback=feedback_data.for_review(found),
        # Feedback marked not to be named is shown without a name, except to managers.
        sees_names=can(current_staff().role, Capability.SEE_WHOLE_SERVICE),
        invitees={i.id: i for i in found.invitations},
        faces=FACE,
    )
