"""Inviting people to give their views before a review, and how the invitation reaches them."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from portal.data import caseload
from portal.data import deliveries as delivery_data
from portal.data import invitations as invitation_data
from portal.data.invitations import IssuedInvitation, issue_invitation
from portal.domain.access import Capability
from portal.domain.languages import DEFAULT_LOCALE, Language, describe
from portal.extensions import db
from portal.models import (
    AuditAction,
    InviteeRole,
    LocalAuthority,
    Review,
)
from portal.notifications import delivering, messages
from portal.notifications.senders import Channel, channels_for
from portal.staff import auditing, labels, reachable
from portal.staff.inviting.forms import ActionForm, InviteForm
from portal.web.people import capability_required, current_staff

bp = Blueprint("inviting", __name__)


def _language_choices(authority: LocalAuthority) -> list[tuple[str, str]]:
    """Languages the portal offers and the authority has switched on, each named in itself."""
    offered: dict[str, Language] = current_app.extensions["portal_languages"]
    enabled = set(authority.enabled_languages.split()) | {DEFAULT_LOCALE}
    return [(code, item.native_name) for code, item in offered.items() if code in enabled]


def _review_url(review: Review) -> str:
    return url_for("staff.caseload.review", review_id=review.id)


def _letter_page(issued: IssuedInvitation) -> str:
    """The printable letter: the only response that ever shows this code."""
    invitation = issued.invitation
    details = messages.invitation_details(invitation, issued.link_token, issued.code)
    offered: dict[str, Language] = current_app.extensions["portal_languages"]
    letter_language = offered.get(invitation.language) or describe(invitation.language)
    with messages.in_language(invitation.language):
        # Our own template's output, already escaped as it was rendered.
        letter = Markup(render_template("staff/inviting/_letter.html", details=details))  # noqa: S704
    return render_template(
        "staff/inviting/letter.html",
        invitation=invitation,
        letter=letter,
        letter_language=letter_language,
    )


def _deliver(issued: IssuedInvitation) -> Response | str:
    # Commits; an email or text message is queued, so this page never waits for it.
    delivering.deliver_invitation(issued)
    if issued.invitation.channel == Channel.LETTER:
        return _letter_page(issued)
    return redirect(url_for(".invitation", invitation_id=issued.invitation.id))


@bp.route("/reviews/<id:review_id>/invite", methods=["GET", "POST"])
@capability_required(Capability.INVITE)
def invite(review_id: int) -> Response | str:
    staff = current_staff()
    review = reachable.review(review_id)
    child = review.child
    authority = staff.local_authority
    languages = _language_choices(authority)
    channels = channels_for(authority)
    defaults = {
        "role": InviteeRole.CHILD.value,
        "name": child.preferred_name,
        "language": child.preferred_language
        if child.preferred_language in dict(languages)
        else DEFAULT_LOCALE,
        "channel": Channel.LETTER.value,
    }
    # Defaults only on the first visit: a posted form keeps what was sent, even a blank.
    form = InviteForm(data=None if request.method == "POST" else defaults)
    form.set_choices(languages, channels)
    if form.validate_on_submit():
        channel = Channel(form.channel.data)
        # Kept whatever the channel: they are how one person is known across invitations.
        contact_email = form.email.data or ""
        contact_phone = form.mobile_number
        made = delivery_data.just_made_invitation(
            review,
            invited_by=staff,
            role=form.invitee_role,
            invitee_name=form.name.data or "",
            language=form.language.data or "",
            channel=channel,
            contact_email=contact_email,
            contact_phone=contact_phone,
        )
        if made is not None:
            # Pressed twice, or the letter page reloaded: one invitation, sent once. Its
            # letter's code cannot be shown again; its page offers a new link and code.
            return redirect(url_for(".invitation", invitation_id=made.id, already=1))
        issued = issue_invitation(
            review,
            invitee_name=form.name.data or "",
            role=form.invitee_role,
            language=form.language.data or DEFAULT_LOCALE,
            code_key=current_app.config["SECRET_KEY"],
        )
        invitation = issued.invitation
        invitation.channel = channel
        invitation.professional_kind = form.professional_kind
        invitation_data.set_contact(invitation, email=contact_email, phone=contact_phone)
        invitation.invited_by_id = staff.id
        db.session.flush()
        auditing.record(
            AuditAction.INVITED, "invitation", invitation.id, detail=f"{invitation.role} {channel}"
        )
        db.session.commit()
        return _deliver(issued)
    return render_template(
        "staff/inviting/invite.html",
        form=form,
        review=review,
        child=child,
        back_url=_review_url(review),
    )


@bp.get("/invitations/<id:invitation_id>")
@capability_required(Capability.INVITE)
def invitation(invitation_id: int) -> str:
    found = reachable.invitation(invitation_id)
    return render_template(
        "staff/inviting/invitation.html",
        invitation=found,
        review=found.review,
        child=found.review.child,
        state=caseload.state_of(found),
        state_labels=labels.INVITATION_STATE,
        state_tags=labels.INVITATION_STATE_TAG,
        invited_as=labels.invited_as(found.role, found.professional_kind),
        deliveries=delivery_data.deliveries_for(found),
        back_url=_review_url(found.review),
        already_made=request.args.get("already") == "1",
    )


@bp.post("/invitations/<id:invitation_id>/reissue")
@capability_required(Capability.INVITE)
def reissue(invitation_id: int) -> Response | str:
    found = reachable.invitation(invitation_id)
    form = ActionForm()
    if not form.validate_on_submit() or found.revoked_at is not None:
        return redirect(url_for(".invitation", invitation_id=found.id))
    issued = delivering.renew_credentials(found, current_app.config["SECRET_KEY"])
    auditing.record(
        AuditAction.REISSUED_INVITATION, "invitation", found.id, detail=str(found.channel)
    )
    db.session.commit()
    return _deliver(issued)


@bp.post("/invitations/<id:invitation_id>/revoke")
@capability_required(Capability.INVITE)
def revoke(invitation_id: int) -> Response:
    found = reachable.invitation(invitation_id)
    form = ActionForm()
    if form.validate_on_submit() and found.revoked_at is None:
        delivering.revoke(found)
        auditing.record(AuditAction.REVOKED_INVITATION, "invitation", found.id)
        db.session.commit()
    return redirect(url_for(".invitation", invitation_id=found.id))
