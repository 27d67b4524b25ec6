"""Asking the child, parents and carers how their review went, once it is held.

Once per invitation (a unique key on the delivery), through the channel their invitation
came by; a letter invitation gets nothing sent, and is asked on their next sign-in
instead. The message names no child and says nothing about the review.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from portal.data import deliveries
from portal.data import feedback as feedback_data
from portal.extensions import db
from portal.models import Delivery, Invitation, InviteeRole, Review

from . import messages, outbox, queue
from .delivering import address_for
from .senders import Channel, Message

log = logging.getLogger(__name__)

FEEDBACK_REQUEST = "feedback_request"


def once_key(invitation: Invitation) -> str:
    return f"feedback:{invitation.id}"


def ask_for_feedback(review: Review) -> int:
    """Queue one message to each person to ask; how many were queued. Never raises:
    the review is recorded as held whatever happens to the messages."""
    try:
        claimed: list[Delivery] = []
        for invitation in feedback_data.to_ask(review):
            if invitation.channel not in (Channel.EMAIL, Channel.SMS):
                continue
            claim = deliveries.claim_once(
                invitation,
                purpose=FEEDBACK_REQUEST,
                channel=invitation.channel,
                once_key=once_key(invitation),
            )
            if claim is not None:
                claimed.append(claim)
        db.session.commit()
        site = messages.site_address()
        queue.send_later(
            queue.Call(queue.SEND_FEEDBACK_REQUEST, (claim.id, site)) for claim in claimed
        )
        return len(claimed)
    except Exception:
        db.session.rollback()
        log.exception("could not ask for feedback on review %s", review.id)
        return 0


def feedback_request_message(
    invitation: Invitation, channel: str, to: str, *, site: str
) -> Message:
    with messages.in_language(invitation.language):
        words = {
            "name": invitation.invitee_name,
            "service": invitation.local_authority.service_name,
            "sign_in": messages.public_url("families.sign_in.enter_code", site=site),
        }
        if invitation.role == InviteeRole.CHILD:
            said = _("Hello %(name)s. How was your review meeting? Tell us in 2 minutes.", **words)
        else:
            said = _("Hello %(name)s. How was the review meeting? Tell us in 2 minutes.", **words)
        how = _("Sign in with the code from your invitation: %(sign_in)s", **words)
        if channel == Channel.SMS:
            return Message(to=to, subject="", body=f"{said} {how}")
        return Message(
            to=to,
            subject=_("How was the review? %(service)s", **words),
            body=f"{said}\n\n{how}",
        )


def send_queued_request(delivery_id: int, site: str, *, attempt: outbox.Attempt) -> bool:
    def compose(delivery: Delivery) -> Message:
        invitation = delivery.invitation
        assert invitation is not None
        return feedback_request_message(
            invitation, delivery.channel, address_for(invitation, delivery.channel), site=site
        )

    return outbox.send_recorded(delivery_id, compose, attempt)
