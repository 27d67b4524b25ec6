"""A consultation, one topic a page: thin views over the questionnaire engine and data layer.

A ``questionnaire`` is the declared form (``portal.questionnaires.declarations``); a
``form`` is the WTForms form built from one of its steps.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import parse as parse_limit
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal.data import consultations as consultation_data
from portal.data import helping as helping_data
from portal.data import invitations as invitation_data
from portal.data import parked_answers
from portal.domain import audiences, edits
from portal.extensions import commit_keeping_what_is_loaded, db, limiter
from portal.families.refusing import refuse
from portal.models import Consultation, ConsultationStatus, InviteeRole
from portal.notifications.advocacy import tell_advocacy_service
from portal.notifications.alerts import alert_staff_to_concern
from portal.questionnaires import builder, router
from portal.questionnaires.declarations import Questionnaire, Step, form_version
from portal.web import people
from portal.web.errors import message_page
from portal.web.people import current_invitation

from .choice import form_for_invitation, forms_on_offer
from .forms import who_reads, who_reads_form

bp = Blueprint("consultation", __name__, url_prefix="/consultation")


@bp.record_once
def _keep_unaccepted_posts(state: BlueprintSetupState) -> None:
    """A step posted after the session ended, or with a stale CSRF token, keeps its answers."""
    endpoint = f"{state.name_prefix}.{state.name}.step".lstrip(".")
    state.app.extensions.setdefault("unaccepted_posts", {})[endpoint] = lambda view_args: (
        park_unaccepted_post(view_args["consultation_id"], view_args["step_key"])
    )


def _own(consultation_id: int) -> tuple[Consultation, Questionnaire]:
    """The signed-in person's own consultation, or a young child's they are helping with
    (portal.domain.helping); anyone else's is not found."""
    invitation = current_invitation()
    consultation = consultation_data.own_consultation(invitation, consultation_id)
    if consultation is None:
        consultation = helping_data.consultation_to_help(invitation, consultation_id)
    if consultation is None:
        # Another of their own invitations, open in a second tab: carry on with that one.
        consultation = invitation_data.consultation_of_the_same_person(invitation, consultation_id)
        if consultation is not None:
            people.switch_invitation(consultation.invitation)
    if consultation is None:
        refuse("consultation", consultation_id)
    return consultation, form_version(consultation.form_key, consultation.form_version)


def _helping_context(consultation: Consultation | None) -> dict[str, object]:
    """For a carer: the child whose form they are helping with on this page, if any, and
    the children they may help (the link to each form is on their own pages)."""
    invitation = current_invitation()
    if consultation is not None and consultation.invitation_id != invitation.id:
        return {"helping": consultation.invitation, "may_help": []}
    return {"helping": None, "may_help": helping_data.children_to_help(invitation)}


def _about_context(consultation: Consultation) -> dict[str, object]:
    """For a grown-up: which child's review this form is about, on every page, and how
    many open invitations they have (someone invited for several children)."""
    invitation = consultation.invitation
    if invitation.role == InviteeRole.CHILD:
        return {"about_review": None, "invitation_count": 1}
    return {
        "about_review": invitation.review,
        "invitation_count": len(invitation_data.invitations_of_the_same_person(invitation)),
    }


def _audiences_locked(consultation: Consultation) -> bool:
    return not audiences.may_change(consultation.invitation.review.status)


def _step_url(consultation: Consultation | int, step_key: str) -> str:
    """A step's URL, for a consultation or its id (after a commit the id is at hand, and
    asking the consultation would read it again)."""
    consultation_id = consultation if isinstance(consultation, int) else consultation.id
    if step_key == router.CHECK_ANSWERS:
        return url_for(".check", consultation_id=consultation_id)
    return url_for(".step", consultation_id=consultation_id, step_key=step_key)


@bp.get("")
def start() -> Response | tuple[str, int]:
    invitation = current_invitation()
    questionnaire = form_for_invitation(invitation)
    if questionnaire is None:
        return message_page(
            200,
            _("There is no form for you yet"),
            _("Your Independent Reviewing Officer will ask for your views another way."),
        )
    consultation = consultation_data.start_or_resume(invitation, questionnaire)
    commit_keeping_what_is_loaded()  # the consultation is not read again
    if consultation.status == ConsultationStatus.SUBMITTED:
        return redirect(url_for(".sent", consultation_id=consultation.id))
    questionnaire = form_version(consultation.form_key, consultation.form_version)
    # Answers kept from an expired session: back to the page they were on.
    parked_key = session.get(people.PARKED_ANSWERS)
    parked = parked_answers.peek_parked_answers(parked_key, consultation) if parked_key else None
    where = parked[0] if parked and questionnaire.step(parked[0]) else consultation.current_step
    return redirect(_step_url(consultation, router.resume_step(questionnaire, where)))


def park_unaccepted_post(consultation_id: int, step_key: str) -> Response:
    """Keep what was posted when we cannot accept it, and ask the child to sign in again.

    Anyone can post here without signing in, so only what a child's own page could
    have sent is kept: for a consultation not yet sent, one of its steps, that step's
    fields, each as long as an answer can be, PARKING_LIMIT times per address. Whatever
    is refused gets the same answer as what is kept (the same redirect, and a key in
    the session that finds nothing), so nothing tells whether a consultation exists.
    """
    people.sign_out()
    session[people.PARKED_ANSWERS] = _park(consultation_id, step_key)
    return redirect(url_for("families.sign_in.enter_code", reason="kept"))


# Counted per client address, only for parkings made: enough for the children of a
# school or care home behind one address, too few to fill the database.
PARKING_LIMIT = parse_limit("20 per 15 minutes")


def _park(consultation_id: int, step_key: str) -> str:
    consultation = parked_answers.open_for_parking(consultation_id)
    step = None
    if consultation is not None:
        try:
            questionnaire = form_version(consultation.form_key, consultation.form_version)
        except KeyError:  # a form no longer declared: nothing to show the answers on
            questionnaire = None
        step = questionnaire.step(step_key) if questionnaire is not None else None
    if consultation is None or step is None or not _may_park():
        return parked_answers.new_parked_key()
    posted = builder.posted_answers(step, request.form)
    key = parked_answers.park_answers(consultation.id, step.key, posted)
    db.session.commit()
    return key


def _may_park() -> bool:
    if not limiter.enabled:
        return True
    return limiter.limiter.hit(PARKING_LIMIT, "parked-answers", get_remote_address())


@bp.route("/<id:consultation_id>/<step_key>", methods=["GET", "POST"])
def step(consultation_id: int, step_key: str) -> Response | str | tuple[str, int]:
    consultation, questionnaire = _own(consultation_id)
    if consultation.status == ConsultationStatus.SUBMITTED:
        return redirect(url_for(".sent", consultation_id=consultation.id))
    step = questionnaire.step(step_key)
    if step is None:
        abort(404)
    changing = request.args.get("change") == "1"
    kept = False
    default_audience = consultation.invitation.local_authority.default_answer_audience

    if request.method == "POST":
        form = builder.step_form(questionnaire, step, formdata=request.form)
        # A page sent back with errors keeps the answers it was first drawn with.
        seen = request.form.get("seen", "")[:64]
        if form.validate():
            posted = builder.values_of(form, step)
            next_key = router.next_step(questionnaire, step.key, changing=changing)
            # What is stored is read once, in the save's turn: a save elsewhere since
            # this page was drawn is either finished, and found here, or waits for this.
            turn = consultation_data.take_turn(consultation, next_key)
            stored = _words(turn.answered, step)
            if edits.clashes(seen, stored, posted):
                db.session.rollback()  # nothing saved, and the consultation not moved on
                return render_template(
                    "families/consultation/clash.html",
                    questionnaire=questionnaire,
                    step=step,
                    saved=stored,
                    posted=posted,
                    posted_audiences={
                        builder.audience_field_name(key): value
                        for key, value in builder.audiences_of(form, step).items()
                        if value
                    },
                    seen_now=edits.fingerprint(stored),
                    changing=changing,
                ), 409
            concerns = consultation_data.save_step(
                consultation,
                questionnaire,
                step,
                posted,
                str(get_locale()),
                next_key,
                turn=turn,
                chosen_audiences=builder.audiences_of(form, step),
                default_audience=default_audience,
                audiences_locked=_audiences_locked(consultation),
            )
            helping_data.record_helper(consultation, current_invitation())
            parked_key = session.pop(people.PARKED_ANSWERS, None)
            if parked_key:
                parked_answers.discard_parked_answers(parked_key)
            saved_id = consultation.id
            db.session.commit()
            if concerns:
                alert_staff_to_concern(consultation)  # never raises: the child's page goes on
                return redirect(
                    url_for(
                        ".help_now",
                        consultation_id=saved_id,
                        next=next_key,
                    )
                )
            return redirect(_step_url(saved_id, next_key))
        words = _words(consultation_data.answered(consultation.id), step)
    else:
        saved = consultation_data.answered(consultation.id)
        words = _words(saved, step)
        seen = edits.fingerprint(words)
        parked = _parked_for(consultation, step.key)
        if parked is not None:
            form = builder.step_form(questionnaire, step, formdata=MultiDict(parked))
            kept = True
        else:
            form = builder.step_form(
                questionnaire,
                step,
                saved=words,
                audiences={key: answer.audience for key, answer in saved.items()},
                default_audience=default_audience,
            )

    if _audiences_locked(consultation):
        # After the review, an answer keeps who may read it: no choice that would be ignored.
        for key in words:
            if builder.audience_field_name(key) in form:
                del form[builder.audience_field_name(key)]
    previous = router.previous_step(questionnaire, step.key)
    return render_template(
        "families/consultation/step.html",
        consultation=consultation,
        questionnaire=questionnaire,
        step=step,
        form=form,
        position=router.position(questionnaire, step.key),
        back_url=_step_url(consultation, previous)
        if previous and not changing
        else (_step_url(consultation, router.CHECK_ANSWERS) if changing else None),
        changing=changing,
        kept=kept,
        seen=seen,
        other_forms=forms_on_offer(consultation.invitation, questionnaire),
        **_helping_context(consultation),
        **_about_context(consultation),
    )


def _words(saved: Mapping[str, consultation_data.Answered], step: Step) -> dict[str, str]:
    """One page's stored answers, question by question (unanswered ones left out)."""
    return {q.key: saved[q.key].value for q in step.questions if q.key in saved}


def _parked_for(consultation: Consultation, step_key: str) -> dict[str, str] | None:
    key = session.get(people.PARKED_ANSWERS)
    if not key:
        return None
    parked = parked_answers.peek_parked_answers(key, consultation)
    if parked is None:
        session.pop(people.PARKED_ANSWERS, None)
        return None
    parked_step, payload = parked
    return payload if parked_step == step_key else None


@bp.get("/<id:consultation_id>/check")
def check(consultation_id: int) -> Response | str:
    consultation, questionnaire = _own(consultation_id)
    if consultation.status == ConsultationStatus.SUBMITTED:
        return redirect(url_for(".sent", consultation_id=consultation.id))
    answers = consultation_data.answers_by_question(consultation)
    return render_template(
        "families/consultation/check.html",
        **_about_context(consultation),
        consultation=consultation,
        questionnaire=questionnaire,
        answers=answers,
        who_reads=who_reads(
            consultation_data.answers_whose_readers_can_change(consultation, questionnaire, answers)
        )
        if audiences.chooses_audience(consultation.invitation.role)
        else {},
        back_url=_step_url(consultation, questionnaire.steps[-1].key),
    )


@bp.post("/<id:consultation_id>/submit")
def submit(consultation_id: int) -> Response:
    consultation, _form = _own(consultation_id)
    sent_now = consultation_data.submit(consultation)  # a second press changes nothing
    if sent_now:
        helping_data.record_helper(consultation, current_invitation())
    # submit() read the consultation back as sent: it is not read again below.
    commit_keeping_what_is_loaded()
    if sent_now:
        tell_advocacy_service(consultation)  # never raises: the child's page goes on
    return redirect(url_for(".sent", consultation_id=consultation.id))


@bp.get("/<id:consultation_id>/sent")
def sent(consultation_id: int) -> Response | str:
    consultation, _form = _own(consultation_id)
    if consultation.status != ConsultationStatus.SUBMITTED:
        return redirect(url_for(".check", consultation_id=consultation.id))
    invitation = consultation.invitation
    return render_template(
        "families/consultation/sent.html",
        consultation=consultation,
        review=invitation.review,
        iro=invitation_data.child_of(invitation).iro,
        is_child=invitation.role == InviteeRole.CHILD,
        **_about_context(consultation),
        chooses_who_reads=bool(
            audiences.chooses_audience(invitation.role)
            and consultation_data.answers_whose_readers_can_change(
                consultation, form_version(consultation.form_key, consultation.form_version)
            )
        ),
        **_helping_context(consultation),
    )


@bp.route("/<id:consultation_id>/who-can-read", methods=["GET", "POST"])
def who_can_read(consultation_id: int) -> Response | str | tuple[str, int]:
    """Who may read each answer in the child's own words: changed here after sending too,
    until the review is held; every change is recorded."""
    consultation, questionnaire = _own(consultation_id)
    if not audiences.chooses_audience(consultation.invitation.role):
        abort(404)
    answers = consultation_data.answers_whose_readers_can_change(consultation, questionnaire)
    locked = _audiences_locked(consultation)
    status = 200
    # Once the review is held the page shows what is stored, whatever was posted.
    form = who_reads_form(answers, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and locked:
        status = 409  # refused: the page says why
        form = who_reads_form(answers)
    elif request.method == "POST" and form.validate():
        consultation_data.change_audiences(
            consultation,
            questionnaire,
            {q.key: form[builder.audience_field_name(q.key)].data for q, _a in answers},
        )
        helping_data.record_helper(consultation, current_invitation())
        db.session.commit()
        return redirect(url_for(".who_can_read", consultation_id=consultation.id, saved=1))
    elif request.method == "POST":
        status = 400
    back = (
        url_for(".sent", consultation_id=consultation.id)
        if consultation.status == ConsultationStatus.SUBMITTED
        else url_for(".check", consultation_id=consultation.id)
    )
    return render_template(
        "families/consultation/who_can_read.html",
        consultation=consultation,
        answers=answers,
        form=form,
        locked=locked,
        saved=request.args.get("saved") == "1" and request.method == "GET",
        who_reads=who_reads(answers),
        back_url=back,
    ), status


@bp.get("/help/<id:invitation_id>")
def help_child(invitation_id: int) -> Response:
    """A carer opens a young child's form with them (portal.domain.helping)."""
    child_invitation = helping_data.invitation_to_help(current_invitation(), invitation_id)
    if child_invitation is None:
        refuse("invitation", invitation_id)
    questionnaire = form_for_invitation(child_invitation)
    assert questionnaire is not None, "a child always has a form"
    consultation = consultation_data.start_or_resume(child_invitation, questionnaire)
    db.session.commit()
    if consultation.status == ConsultationStatus.SUBMITTED:
        return redirect(url_for(".sent", consultation_id=consultation.id))
    questionnaire = form_version(consultation.form_key, consultation.form_version)
    return redirect(
        _step_url(consultation, router.resume_step(questionnaire, consultation.current_step))
    )


@bp.get("/<id:consultation_id>/help-now")
def help_now(consultation_id: int) -> str:
    consultation, questionnaire = _own(consultation_id)
    next_key = request.args.get("next", "")
    if next_key != router.CHECK_ANSWERS and questionnaire.step(next_key) is None:
        next_key = router.resume_step(questionnaire, consultation.current_step)
    return render_template(
        "families/consultation/help_now.html",
        consultation=consultation,
        next_url=_step_url(consultation, next_key),
        iro=invitation_data.child_of(consultation.invitation).iro,
    )


@bp.post("/<id:consultation_id>/version")
def switch_version(consultation_id: int) -> Response:
    consultation, questionnaire = _own(consultation_id)
    chosen = request.form.get("form_key", "")
    offered = {f.key: f for f in forms_on_offer(consultation.invitation, questionnaire)}
    if chosen in offered and consultation.status == ConsultationStatus.STARTED:
        consultation_data.switch_form(consultation, offered[chosen])
        db.session.commit()
    return redirect(url_for(".start"))
