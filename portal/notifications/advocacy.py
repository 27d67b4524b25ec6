"""Telling the advocacy service when a child asks for an advocate.

Called from the child's request, after they send their form. The message goes once
(a unique once-key on its Delivery), by email to the address the authority set, and
says only what the advocacy service needs to get in touch: the child's first name, the
day of their review and the IRO team's phone number. Never the child's answers: the
advocate hears those from the child. With no address set, nothing is sent; the IRO's
caseload still shows the request. Nothing here may break the child's page: failures are
recorded as Deliveries, never raised.

The sending is all in ``send_advocacy_request`` so that it can move onto the queue
(portal.notifications.queue) as one task.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from portal.data import advocacy as advocacy_data
from portal.domain import advocacy
from portal.extensions import db
from portal.models import Consultation, Delivery

from . import messages
from .senders import Channel, Message, send_safely, sender_for

log = logging.getLogger(__name__)


def tell_advocacy_service(consultation: Consultation) -> Delivery | None:
    """Email the advocacy service if this child's sent form asks for an advocate.

    Returns the Delivery recorded (None if nothing was to be sent, or it went before).
    Commits what it records. Never raises.
    """
    try:
        return send_advocacy_request(consultation)
    except Exception:
        log.exception("advocacy request for consultation %s could not be sent", consultation.id)
        db.session.rollback()
        return None


def advocacy_request_message(consultation: Consultation, to: str) -> Message:
    """What the advocacy service is told: whom to contact about, by when, and how."""
    invitation = consultation.invitation
    review = invitation.review
    authority = invitation.local_authority
    with messages.in_language(messages.STAFF_LOCALE):
        words = {
            "name": advocacy.first_name(review.child.preferred_name),
            "review": format_date(review.planned_on, format="long"),
            "phone": authority.iro_team_phone,
            "service": authority.service_name,
        }
        subject = _("A child would like an advocate for their review on %(review)s", **words)
        body = "\n\n".join(
            (
                _(
                    "%(name)s, a child in care, would like an advocate to help them have "
                    "their say at their review on %(review)s.",
                    **words,
                ),
                _(
                    "To arrange it, call the IRO team on %(phone)s. They will tell you how "
                    "to reach %(name)s.",
                    **words,
                ),
                _(
                    "This message does not contain the child's answers, for their privacy.",
                ),
                _("Sent by %(service)s", **words),
            )
        )
    return Message(to=to, subject=subject, body=body)


def send_advocacy_request(consultation: Consultation) -> Delivery | None:
    """Claim the request's once-key, send the email, record how it went, commit."""
    if not advocacy_data.asks_for_an_advocate(consultation):
        return None
    invitation = consultation.invitation
    authority = invitation.local_authority
    to = authority.advocacy_email.strip()
    if not to:
        return None
    delivery = advocacy_data.claim_request(invitation, consultation, Channel.EMAIL)
    if delivery is None:
        return None  # told already
    db.session.commit()  # the claim holds even if sending takes a while or fails
    sender = sender_for(authority, Channel.EMAIL, current_app.config)
    result = send_safely(sender, advocacy_request_message(consultation, to))
    delivery.status = result.status
    delivery.error = result.error[:500]
    delivery.provider_reference = result.provider_reference[:100]
    db.session.commit()
    return delivery
