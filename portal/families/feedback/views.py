"""Feedback after the review, from the child, a parent or a carer who was invited.

Asked by message when the review is marked held, and on the next sign-in: someone who
signs in with feedback still to give is shown this page first, once, and can say "not
now". Kept once per invitation: a second send changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from portal.data import feedback as feedback_data
from portal.domain.feedback import QUESTIONS
from portal.extensions import db
from portal.families.feedback.forms import FeedbackForm
from portal.web.people import current_invitation

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

OFFERED = "feedback_offered"  # the session's note that the page was shown at sign-in
LANDING = "families.consultation.start"  # where signing in leads


@bp.before_app_request
def _offer_at_sign_in() -> Response | None:
    """Someone signing in with feedback to give sees the question first, once."""
    invitation = g.get("invitation")
    if invitation is None or request.method != "GET" or request.endpoint != LANDING:
        return None
    if session.get(OFFERED) == invitation.id or not feedback_data.is_pending(invitation):
        return None
    session[OFFERED] = invitation.id
    return redirect(url_for("families.feedback.give"))


@bp.route("", methods=["GET", "POST"])
def give() -> Response | str:
    invitation = current_invitation()
    if feedback_data.already_sent(invitation):
        return redirect(url_for(".thanks"))
    if not feedback_data.is_pending(invitation):
        return redirect(url_for(LANDING))
    form = FeedbackForm()
    if form.validate_on_submit():
        answers = feedback_data.Answers(
            how_was_it=form.how_was_it.data,
            yes_no={q: getattr(form, q).data or None for q in QUESTIONS},
            make_it_better=form.make_it_better.data or "",
            anonymous=bool(form.anonymous.data),
        )
        feedback_data.save(invitation, answers, language=str(get_locale() or "en_GB"))
        db.session.commit()
        return redirect(url_for(".thanks"))
    return render_template("families/feedback/give.html", form=form, invitation=invitation)


@bp.get("/thanks")
def thanks() -> str:
    return render_template("families/feedback/thanks.html", invitation=current_invitation())
