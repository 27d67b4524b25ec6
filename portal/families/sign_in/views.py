"""Getting in with an invitation: the personal link or the code, then a secret."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from portal.data import invitations as invitation_data
from portal.domain.credentials import MAX_FAILED_SECRET_ATTEMPTS, SecretHasher
from portal.extensions import db, limiter
from portal.families.sign_in.forms import CodeForm, NewSecretForm, SecretForm
from portal.models import Invitation
from portal.web import people
from portal.web.keys import secret_keys
from portal.web.people import open_to_anyone

bp = Blueprint("sign_in", __name__)

# Only tries that fail count: someone who gets it right is never slowed down, someone
# guessing codes across invitations is. Children in one home or school share an address,
# so the tight limit is per device (a random id in the session cookie) and the address
# gets a looser one, which still holds when a guesser throws its cookies away. With a
# code space of 17^9 (1.2 * 10^11) and 10,000 live invitations, 100 failures per 15
# minutes from one address find a code about once in 3 years, and a code alone opens
# nothing once its PIN is chosen.
GUESS_LIMIT_PER_DEVICE = "10 per 15 minutes"
GUESS_LIMIT_PER_ADDRESS = "100 per 15 minutes"


def _device() -> str:
    return f"{get_remote_address()}/{people.device_id()}"


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _hasher() -> SecretHasher:
    return current_app.extensions["secret_hasher"]


def _cannot_use(invitation: Invitation) -> Response | str | None:
    """The page to show instead, when this invitation cannot be used to sign in."""
    if invitation.locked_at is not None:
        return render_template("families/sign_in/locked.html")
    if not invitation_data.is_usable(invitation):
        return render_template("families/sign_in/expired.html")
    return None


def _pending() -> Invitation | None:
    invitation_id = session.get(people.PENDING_INVITATION)
    return invitation_data.invitation_by_id(invitation_id) if invitation_id else None


@bp.get("/i/<token>")
@open_to_anyone
def open_link(token: str) -> Response | str | tuple[str, int]:
    invitation = invitation_data.invitation_by_token(token)
    if invitation is None:
        return render_template("families/sign_in/link_not_recognised.html"), 404
    problem = _cannot_use(invitation)
    if problem is not None:
        return problem
    invitation_data.record_opened(invitation)
    db.session.commit()
    session[people.PENDING_INVITATION] = invitation.id
    session[people.INVITATION_LOCALE] = invitation.language
    # Redirect at once so the token leaves the address bar and the history.
    return redirect(url_for("families.sign_in.secret"))


@bp.route("/", methods=["GET", "POST"])
@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(GUESS_LIMIT_PER_DEVICE, key_func=_device, methods=["POST"], deduct_when=_failed)
@limiter.limit(GUESS_LIMIT_PER_ADDRESS, methods=["POST"], deduct_when=_failed)
@open_to_anyone
def enter_code() -> Response | str:
    form = CodeForm()
    if form.validate_on_submit():
        invitation = invitation_data.invitation_by_code(form.code.data or "", secret_keys())
        if invitation is None:
            form.code.errors.append(_("We could not find that code. Check it and try again."))
        else:
            problem = _cannot_use(invitation)
            if problem is not None:
                return problem
            invitation_data.record_opened(invitation)
            db.session.commit()
            session[people.PENDING_INVITATION] = invitation.id
            session[people.INVITATION_LOCALE] = invitation.language
            return redirect(url_for("families.sign_in.secret"))
    return render_template(
        "families/sign_in/enter_code.html", form=form, reason=request.args.get("reason")
    )


@bp.route("/sign-in/secret", methods=["GET", "POST"])
@limiter.limit(GUESS_LIMIT_PER_DEVICE, key_func=_device, methods=["POST"], deduct_when=_failed)
@limiter.limit(GUESS_LIMIT_PER_ADDRESS, methods=["POST"], deduct_when=_failed)
@open_to_anyone
def secret() -> Response | str:
    invitation = _pending()
    if invitation is None:
        return redirect(url_for("families.sign_in.enter_code"))
    problem = _cannot_use(invitation)
    if problem is not None:
        return problem
    if invitation.secret_hash is None:
        return _choose_secret(invitation)

    form = SecretForm()
    if form.validate_on_submit():
        checked = _hasher().verify_and_update(invitation.secret_hash, form.secret.data or "")
        if checked.ok:
            if checked.replacement is not None:
                # Stored before the pepper, under an earlier key or other parameters.
                invitation.secret_hash = checked.replacement
            invitation_data.record_good_secret(invitation)
            people.sign_in_invitation(invitation)
            db.session.commit()
            return redirect(url_for("families.consultation.start"))
        invitation_data.record_failed_secret(invitation)
        db.session.commit()
        if invitation.locked_at is not None:
            return render_template("families/sign_in/locked.html")
        left = MAX_FAILED_SECRET_ATTEMPTS - invitation.failed_secret_attempts
        form.secret.errors.append(
            ngettext(
                "That is not right. You have %(num)d more try.",
                "That is not right. You have %(num)d more tries.",
                left,
            )
        )
    return render_template("families/sign_in/secret.html", form=form)


def _choose_secret(invitation: Invitation) -> Response | str:
    form = NewSecretForm()
    if form.validate_on_submit():
        # Two first visits at once: the first secret chosen wins.
        if invitation.secret_hash is None:
            invitation.secret_hash = _hasher().hash(form.secret.data or "")
            people.sign_in_invitation(invitation)
            db.session.commit()
            return redirect(url_for("families.consultation.start"))
        return redirect(url_for("families.sign_in.secret"))
    return render_template("families/sign_in/new_secret.html", form=form)


@bp.post("/sign-out")
@open_to_anyone
def sign_out() -> Response:
    people.sign_out()
    return redirect(url_for("families.sign_in.signed_out"))


@bp.get("/signed-out")
@open_to_anyone
def signed_out() -> str:
    return render_template("families/sign_in/signed_out.html")
