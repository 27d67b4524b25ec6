"""Children, their reviews, and the caseload page."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from portal.data import advocacy, caseload, subject_access
from portal.data import documents as document_data
from portal.data import invitations as invitation_data
from portal.domain import reviews as review_rules
from portal.domain.access import Capability, can
from portal.domain.timescales import ReviewKind, today_in_england
from portal.extensions import commit_keeping_what_is_loaded, db
from portal.models import AuditAction, Child, Review, ReviewStatus, ReviewStatusChange
from portal.notifications import feedback as asking
from portal.staff import auditing, reachable
from portal.staff.caseload import subject_access as subject_access_document
from portal.staff.caseload.forms import ChildForm, ReviewForm, ReviewStatusForm, choices
from portal.staff.labels import REVIEW_STATUS, labels_context
from portal.web.people import capability_required, current_staff

bp = Blueprint("caseload", __name__)
# Global rather than per-request context, so imported macros see the labels too.
bp.record_once(lambda state: state.app.jinja_env.globals.update(labels_context()))

_WORK_WITH_CHILDREN = Capability.MANAGE_CHILDREN


def _iro_choices() -> list[tuple[int, str]]:
    return [(s.id, s.display_name) for s in caseload.iros(current_staff())]


@bp.get("/")
@capability_required(_WORK_WITH_CHILDREN)
def home() -> str:
    staff = current_staff()
    whole_service = can(staff.role, Capability.SEE_WHOLE_SERVICE)
    iro_filter = request.args.get("iro", type=int) if whole_service else None
    lines = caseload.caseload(staff, today_in_england(), iro_id=iro_filter)
    # Next reviews where the child has asked for an advocate: flagged on their line.
    asking_for_advocate = advocacy.reviews_with_a_child_asking_for_an_advocate(
        staff.local_authority_id, (line.next_review.id for line in lines if line.next_review)
    )
    late_letters = document_data.children_with_a_late_letter(
        [line.child.id for line in lines], caseload.working_calendar(), today_in_england()
    )
    auditing.record(AuditAction.VIEWED_CASELOAD)
    # Keep what was just read: a plain commit would expire every child, review and
    # invitation, and the page would read each again, one query at a time (about 680
    # queries for 57 children).
    commit_keeping_what_is_loaded()
    return render_template(
        "staff/caseload/home.html",
        lines=lines,
        asking_for_advocate=asking_for_advocate,
        late_letters=late_letters,
        replies=document_data.unseen_responses(staff),
        whole_service=whole_service,
        iros=_iro_choices() if whole_service else [],
        iro_filter=iro_filter,
    )


@bp.route("/children/new", methods=["GET", "POST"])
@capability_required(_WORK_WITH_CHILDREN)
def new_child() -> Response | str:
    staff = current_staff()
    form = ChildForm(iros=_iro_choices())
    if request.method == "GET":
        form.iro_id.data = staff.id
        form.preferred_language.data = "en_GB"
    if not can(staff.role, Capability.REASSIGN_CHILDREN):
        form.iro_id.data = staff.id  # an IRO adds children to their own caseload
    if form.validate_on_submit():
        child = Child(local_authority_id=staff.local_authority_id)
        _fill_child(child, form)
        db.session.add(child)
        db.session.flush()
        auditing.record(AuditAction.CREATED_CHILD, "child", child.id)
        db.session.commit()
        return redirect(url_for(".child", child_id=child.id))
    return render_template("staff/caseload/child_form.html", form=form, child=None)


def _fill_child(child: Child, form: ChildForm) -> None:
    # Both dates are required by the form, so a validated form has them.
    assert form.date_of_birth.data is not None and form.came_into_care_on.data is not None
    child.preferred_name = form.preferred_name.data or ""
    child.date_of_birth = form.date_of_birth.data
    child.came_into_care_on = form.came_into_care_on.data
    child.uasc = bool(form.uasc.data)
    child.preferred_language = form.preferred_language.data or "en_GB"
    child.communication_needs = " ".join(form.communication_needs.data or [])
    child.iro_id = form.iro_id.data


@bp.get("/children/<id:child_id>")
@capability_required(_WORK_WITH_CHILDREN)
def child(child_id: int) -> str:
    found = reachable.child(child_id)
    calendar = caseload.working_calendar()
    dates = caseload.review_dates(found)
    auditing.record(AuditAction.VIEWED_CHILD, "child", found.id)
    db.session.commit()
    return render_template(
        "staff/caseload/child.html",
        child=found,
        deadlines=review_rules.statutory_deadlines(found.came_into_care_on, dates, calendar),
        next_deadline=review_rules.next_deadline(found.came_into_care_on, dates, calendar),
        today=today_in_england(),
    )


@bp.get("/children/<id:child_id>/everything")
@capability_required(Capability.SEE_WHOLE_SERVICE)
def everything_held(child_id: int) -> Response:
    """A subject access request: everything held about the child, as one readable file."""
    found = reachable.child(child_id)
    filename = f"child-{found.id}-{today_in_england().isoformat()}.html"
    # Recorded first, so the file lists its own download among the child's audit events.
    auditing.record(AuditAction.EXPORTED_CHILD_RECORD, "child", found.id, detail=filename)
    db.session.flush()
    staff = current_staff()
    document = subject_access_document.render(subject_access.everything_held(staff, found), staff)
    db.session.commit()
    return Response(
        document,
        mimetype="text/html",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/children/<id:child_id>/edit", methods=["GET", "POST"])
@capability_required(_WORK_WITH_CHILDREN)
def edit_child(child_id: int) -> Response | str:
    found = reachable.child(child_id)
    staff = current_staff()
    form = ChildForm(obj=found, iros=_iro_choices())
    if request.method == "GET":
        form.communication_needs.data = found.needs
    may_reassign = can(staff.role, Capability.REASSIGN_CHILDREN)
    if not may_reassign:
        form.iro_id.data = found.iro_id
    if form.validate_on_submit():
        before = found.iro_id
        _fill_child(found, form)
        auditing.record(AuditAction.CHANGED_CHILD, "child", found.id)
        if found.iro_id != before:
            auditing.record(AuditAction.REASSIGNED_CHILD, "child", found.id)
        db.session.commit()
        return redirect(url_for(".child", child_id=found.id))
    return render_template(
        "staff/caseload/child_form.html", form=form, child=found, may_reassign=may_reassign
    )


@bp.route("/children/<id:child_id>/reviews/new", methods=["GET", "POST"])
@capability_required(_WORK_WITH_CHILDREN)
def new_review(child_id: int) -> Response | str:
    found = reachable.child(child_id)
    form = ReviewForm()
    due = review_rules.next_deadline(
        found.came_into_care_on, caseload.review_dates(found), caseload.working_calendar()
    )
    if request.method == "GET":
        # Suggest the statutory deadline; the IRO plans the real day.
        form.kind.data = due.kind.value
        form.planned_on.data = due.due_by
    if form.validate_on_submit():
        review = Review(local_authority_id=found.local_authority_id, child=found)
        _fill_review(review, form)
        db.session.add(review)
        db.session.flush()
        auditing.record(AuditAction.CREATED_REVIEW, "review", review.id)
        db.session.commit()
        return redirect(url_for(".review", review_id=review.id))
    return render_template(
        "staff/caseload/review_form.html", form=form, child=found, review=None, due=due
    )


def _fill_review(review: Review, form: ReviewForm) -> None:
    assert form.planned_on.data is not None  # required by the form
    review.kind = form.kind.data or ReviewKind.SUBSEQUENT.value
    review.planned_on = form.planned_on.data
    review.planned_time = form.planned_time.data
    review.venue = form.venue.data or ""
    invitation_data.refresh_due_dates(review)


@bp.get("/reviews/<id:review_id>")
@capability_required(_WORK_WITH_CHILDREN)
def review(review_id: int) -> str:
    found = reachable.review(review_id)
    auditing.record(AuditAction.VIEWED_REVIEW, "review", found.id)
    db.session.commit()
    return _review_page(found, ReviewStatusForm())


def _status_choices(found: Review) -> list[SelectChoice]:
    return choices([(s.value, REVIEW_STATUS[s]) for s in review_rules.allowed_moves(found.status)])


def _review_page(found: Review, status_form: ReviewStatusForm) -> str:
    status_form.status.choices = _status_choices(found)
    child = found.child
    deadlines = review_rules.statutory_deadlines(
        child.came_into_care_on, caseload.review_dates(child), caseload.working_calendar()
    )
    return render_template(
        "staff/caseload/review.html",
        review=found,
        child=child,
        deadline=deadlines[found.id],
        invitations=[(i, caseload.state_of(i)) for i in found.invitations],
        status_form=status_form,
        may_invite=can(current_staff().role, Capability.INVITE),
        may_write=can(current_staff().role, Capability.WRITE_TO_CHILDREN),
        letter=document_data.letter_of(found),
        letter_due_on=document_data.letter_due_on(found, caseload.working_calendar()),
        letter_timeliness=document_data.letter_timeliness(
            found, caseload.working_calendar(), today_in_england()
        ),
        outcomes_due_on=document_data.outcomes_due_on(found, caseload.working_calendar()),
        outcomes_timeliness=document_data.outcomes_timeliness(
            found, caseload.working_calendar(), today_in_england()
        ),
        plan_shared_in_time=document_data.plan_shared_in_time(
            child, found, caseload.working_calendar()
        ),
    )


@bp.route("/reviews/<id:review_id>/edit", methods=["GET", "POST"])
@capability_required(_WORK_WITH_CHILDREN)
def edit_review(review_id: int) -> Response | str:
    found = reachable.review(review_id)
    form = ReviewForm(obj=found)
    if form.validate_on_submit():
        _fill_review(found, form)
        auditing.record(AuditAction.CHANGED_REVIEW, "review", found.id)
        db.session.commit()
        return redirect(url_for(".review", review_id=found.id))
    return render_template(
        "staff/caseload/review_form.html", form=form, child=found.child, review=found, due=None
    )


@bp.post("/reviews/<id:review_id>/status")
@capability_required(_WORK_WITH_CHILDREN)
def change_status(review_id: int) -> Response | str:
    found = reachable.review(review_id)
    form = ReviewStatusForm()
    form.status.choices = _status_choices(found)
    if not form.status.choices:
        abort(409)
    if form.validate_on_submit():
        to = review_rules.Status(form.status.data)
        reason = (form.reason.data or "").strip()
        if review_rules.needs_reason(to) and not reason:
            form.reason.errors.append(_("Say why the review's status is changing"))
        elif review_rules.needs_new_date(to) and form.new_date.data is None:
            form.new_date.errors.append(_("Enter the new date for the rearranged review"))
        else:
            db.session.add(
                ReviewStatusChange(
                    local_authority_id=found.local_authority_id,
                    review=found,
                    from_status=found.status,
                    to_status=to,
                    reason=reason,
                    changed_by_id=current_staff().id,
                )
            )
            found.status = to
            found.status_reason = reason
            if review_rules.needs_new_date(to) and form.new_date.data is not None:
                found.planned_on = form.new_date.data
                invitation_data.refresh_due_dates(found)
            auditing.record(AuditAction.CHANGED_REVIEW_STATUS, "review", found.id, detail=to.value)
            db.session.commit()
            if to == ReviewStatus.HELD:
                # However it was marked held, those invited are asked how it went, once.
                asking.ask_for_feedback(found)
            return redirect(url_for(".review", review_id=found.id))
    return _review_page(found, form)
