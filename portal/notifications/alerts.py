"""Telling staff at once when a child's answers raise a safety concern.

Called from the child's request, after their answer is saved and committed. Nothing
here may break the child's page: failures are recorded as Deliveries, never raised.
The message carries no name, no words and no answers: only a link to sign in.
"""

from __future__ import annotations

import logging

from flask import current_app

from portal.data import deliveries
from portal.extensions import db
from portal.models import Consultation, Delivery, StaffUser

from . import messages
from .addresses import normalise_uk_mobile
from .delivering import SAFETY_ALERT
from .senders import Channel, SendResult, channels_for, send_safely, sender_for

log = logging.getLogger(__name__)


def _address(person: StaffUser, channel: Channel) -> str | None:
    if channel == Channel.SMS:
        return normalise_uk_mobile(person.phone or "")
    return person.email or None


def alert_staff_to_concern(consultation: Consultation) -> list[Delivery]:
    """Email and/or text the IRO (and, if they are away, their cover and the managers).

    With letter-only settings nothing is sent and nothing recorded: the alert on the
    IRO's caseload page is still there. Commits the deliveries it records.
    """
    try:
        return _alert(consultation)
    except Exception:
        log.exception("safety alert for consultation %s could not be sent", consultation.id)
        db.session.rollback()
        return []


def _alert(consultation: Consultation) -> list[Delivery]:
    invitation = consultation.invitation
    authority = invitation.local_authority
    channels = [c for c in channels_for(authority) if c != Channel.LETTER]
    if not channels:
        return []
    recorded: list[Delivery] = []
    for person, covering in deliveries.safety_alert_recipients(invitation.review.child.iro):
        for channel in channels:
            sender = sender_for(authority, channel, current_app.config)
            to = _address(person, channel)
            if to is None:
                result = SendResult.failed(
                    f"{person.display_name} has no UK mobile number in the portal to text."
                    if channel == Channel.SMS
                    else f"{person.display_name} has no email address in the portal."
                )
            else:
                message = messages.safety_alert_message(
                    consultation, channel, to, covering=covering
                )
                result = send_safely(sender, message)
            recorded.append(
                deliveries.record_delivery(
                    local_authority_id=authority.id,
                    purpose=SAFETY_ALERT,
                    channel=channel,
                    status=result.status,
                    error=result.error,
                    provider_reference=result.provider_reference,
                    invitation=invitation,
                    staff_user=person,
                )
            )
    db.session.commit()
    return recorded
