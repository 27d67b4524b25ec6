"""Getting in with an invitation: the personal link or the code, then a secret."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from limits import parse as parse_limit
from werkzeug.wrappers import Response

from portal.data import invitations as invitation_data
from portal.data import sign_in_sessions
from portal.domain import contacts, credentials
from portal.domain.credentials import MAX_FAILED_SECRET_ATTEMPTS, SecretHasher
from portal.extensions import commit_keeping_what_is_loaded, db, limiter
from portal.families.sign_in.forms import (
    CodeForm,
    ContactForm,
    NewSecretForm,
    SecretForm,
    UseLinkForm,
)
from portal.models import Invitation
from portal.notifications import delivering
from portal.notifications.senders import Channel
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


def _start_signing_in(invitation: Invitation) -> None:
    """An invitation's link or code was used: note it, and ask for its PIN next."""
    session[people.PENDING_INVITATION] = invitation.id
    session[people.INVITATION_LOCALE] = invitation.language
    invitation_data.record_opened(invitation)
    db.session.commit()


def _pending() -> Invitation | None:
    invitation_id = session.get(people.PENDING_INVITATION)
    return sign_in_sessions.pending_invitation(invitation_id) if invitation_id else None


@bp.get("/i/<token>")
@open_to_anyone
def open_link(token: str) -> Response | str | tuple[str, int]:
    invitation = invitation_data.invitation_by_token(token)
    if invitation is None:
        return render_template("families/sign_in/link_not_recognised.html"), 404
    problem = _cannot_use(invitation)
    if problem is not None:
        return problem
    _start_signing_in(invitation)
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
            _start_signing_in(invitation)
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
            commit_keeping_what_is_loaded()
            return _after_sign_in(invitation)
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
            commit_keeping_what_is_loaded()
            return _after_sign_in(invitation)
        return redirect(url_for("families.sign_in.secret"))
    return render_template("families/sign_in/new_secret.html", form=form)


def _after_sign_in(invitation: Invitation) -> Response:
    """Someone invited for several children sees them all first; anyone else goes
    straight to their form."""
    if len(invitation_data.invitations_of_the_same_person(invitation)) > 1:
        return redirect(url_for("families.door.your_invitations"))
    return redirect(url_for("families.consultation.start"))


# --- Signing in with a link sent to an email address or mobile number ---------------

PENDING_CONTACT_LINK = "pending_contact_link"
# However often it is asked for, one address or number gets a few links an hour: the
# form cannot be used to flood someone's phone.
LINKS_PER_CONTACT = parse_limit("3 per hour")


def _may_send_to(contact_key: str) -> bool:
    if not limiter.enabled:
        return True
    return limiter.limiter.hit(LINKS_PER_CONTACT, "sign-in-link", contact_key)


@bp.route("/sign-in/link", methods=["GET", "POST"])
@limiter.limit(GUESS_LIMIT_PER_DEVICE, key_func=_device, methods=["POST"])
@limiter.limit(GUESS_LIMIT_PER_ADDRESS, methods=["POST"])
@open_to_anyone
def ask_for_link() -> Response | str:
    """Ask for a sign-in link by email or text. The answer is the same whether or not
    the address is known, so the page tells no one who has been invited."""
    form = ContactForm()
    if form.validate_on_submit():
        if form.email is not None:
            key, column, channel = contacts.email_key(form.email), "email", Channel.EMAIL
        else:
            key, column, channel = contacts.phone_key(form.mobile or ""), "phone", Channel.SMS
        if key is not None and _may_send_to(key):
            links = invitation_data.issue_contact_links(key, column=column)
            delivering.send_sign_in_links(links, channel)  # commits
        return redirect(url_for(".link_sent", by=channel.value))
    return render_template("families/sign_in/ask_for_link.html", form=form)


@bp.get("/sign-in/link/sent")
@open_to_anyone
def link_sent() -> str:
    return render_template("families/sign_in/link_sent.html", by=request.args.get("by"))


@bp.get("/sign-in/link/<token>")
@open_to_anyone
def open_contact_link(token: str) -> Response | str | tuple[str, int]:
    digest = credentials.token_digest(token)
    if not invitation_data.contact_link_is_live(digest):
        return render_template("families/sign_in/link_used.html"), 404
    session[PENDING_CONTACT_LINK] = digest
    # Out of the address bar and history at once; and a mail scanner that follows the
    # link does not spend it: only the button on the next page does.
    return redirect(url_for(".use_link"))


@bp.route("/sign-in/link/continue", methods=["GET", "POST"])
@open_to_anyone
def use_link() -> Response | str | tuple[str, int]:
    digest = session.get(PENDING_CONTACT_LINK)
    if not isinstance(digest, str):
        return redirect(url_for(".ask_for_link"))
    form = UseLinkForm()
    if form.validate_on_submit():
        session.pop(PENDING_CONTACT_LINK, None)
        invitation = invitation_data.use_contact_link(digest)
        if invitation is None:
            db.session.commit()
            return render_template("families/sign_in/link_used.html"), 404
        invitation_data.record_opened(invitation)
        people.sign_in_invitation(invitation)
        db.session.commit()
        return _after_sign_in(invitation)
    return render_template("families/sign_in/use_link.html", form=form)


@bp.post("/sign-out")
@open_to_anyone
def sign_out() -> Response:
    people.sign_out()
    return redirect(url_for("families.sign_in.signed_out"))


@bp.get("/signed-out")
@open_to_anyone
def signed_out() -> str:
    return render_template("families/sign_in/signed_out.html")
