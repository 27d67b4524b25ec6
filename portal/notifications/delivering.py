"""Sending an invitation the way it was asked for, and replacing lost credentials."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app

from portal.data import deliveries
from portal.data.invitations import ContactLink, IssuedInvitation
from portal.domain import credentials
from portal.domain.sealing import SecretBox, UnreadableSecret
from portal.extensions import db
from portal.models import Delivery, Invitation, utcnow

from . import messages, outbox, queue
from .senders import Channel, Message, SendResult, UnavailableSender, sender_for

INVITATION = "invitation"
REMINDER = "reminder"
SAFETY_ALERT = "safety_alert"

# As long as a new invitation lasts (portal.data.invitations.issue_invitation).
VALID_FOR = timedelta(days=60)


def address_for(invitation: Invitation, channel: str) -> str:
    return invitation.contact_phone if channel == Channel.SMS else invitation.contact_email


def _secret_box() -> SecretBox:
    box: SecretBox = current_app.extensions["secret_box"]
    return box


def deliver_invitation(issued: IssuedInvitation) -> Delivery:
    """Record the invitation's delivery, commit, and queue an email or text message.

    The page does not wait for the message: the row says "queued" until the worker has
    sent it. The link and code go into the queue sealed, never in plain text. For a
    letter nothing leaves the portal: the caller shows the letter page, which is the
    only place the code is ever shown. A channel that is not set up fails at once.
    """
    invitation = issued.invitation
    channel = invitation.channel
    sender = sender_for(invitation.local_authority, channel, current_app.config)
    if channel == Channel.LETTER or isinstance(sender, UnavailableSender):
        result = sender.send(Message(to="", subject="", body=""))
        delivery = deliveries.record_delivery(
            local_authority_id=invitation.local_authority_id,
            purpose=INVITATION,
            channel=channel,
            status=result.status,
            error=result.error,
            invitation=invitation,
        )
        db.session.commit()
        return delivery
    delivery = deliveries.record_delivery(
        local_authority_id=invitation.local_authority_id,
        purpose=INVITATION,
        channel=channel,
        status=deliveries.QUEUED,
        invitation=invitation,
    )
    db.session.flush()
    delivery_id = delivery.id
    db.session.commit()  # the worker must find the row
    sealed = _secret_box().seal(json.dumps([issued.link_token, issued.code]))
    queue.send_later(
        [queue.Call(queue.SEND_INVITATION, (delivery_id, sealed, messages.site_address()))]
    )
    return delivery


def send_queued_invitation(
    delivery_id: int, sealed: str, site: str, *, attempt: outbox.Attempt
) -> bool:
    """The worker's part: open the link and code, write the invitation, send it."""

    def compose(delivery: Delivery) -> Message | SendResult:
        invitation = delivery.invitation
        assert invitation is not None
        try:
            token, code = json.loads(_secret_box().open(sealed))
        except UnreadableSecret:
            return SendResult.failed(
                "Not sent: its link and code could not be read, because SECRET_KEY changed "
                "after it was queued. Make a new link and code."
            )
        if invitation.revoked_at is not None:
            return SendResult.failed("Not sent: the invitation was withdrawn before it went.")
        if credentials.token_digest(token) != invitation.token_digest:
            return SendResult.failed(
                "Not sent: a new link and code replaced these before they went."
            )
        details = messages.invitation_details(invitation, token, code, site=site)
        channel = delivery.channel
        return messages.invitation_message(details, channel, address_for(invitation, channel))

    return outbox.send_recorded(delivery_id, compose, attempt)


def renew_credentials(invitation: Invitation, code_key: str) -> IssuedInvitation:
    """A new link and code for the same invitation: the old ones stop working at once.

    The consultation and its answers are kept. So is the secret the person chose once
    answers exist (it protects them); before that, whoever found a lost letter may have
    chosen it, so the person chooses a new one.
    """
    consultation = invitation.consultation
    if consultation is None or not consultation.answers:
        invitation.secret_hash = None
        invitation.failed_secret_attempts = 0
        invitation.locked_at = None
    token = credentials.new_link_token()
    code = credentials.new_invitation_code()
    invitation.token_digest = credentials.token_digest(token)
    invitation.code_digest = credentials.code_digest(code, code_key)
    invitation.expires_at = utcnow() + VALID_FOR
    return IssuedInvitation(invitation, token, code)


def revoke(invitation: Invitation) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()


SIGN_IN_LINK = "sign_in_link"


def send_sign_in_links(links: list[ContactLink], channel: Channel) -> None:
    """Record and queue each sign-in link asked for (one per authority and role). The
    token travels sealed, like an invitation's; the row shows on the invitation it was
    sent for, so the IRO can see someone asked. A channel the authority has not set up
    records a failure and sends nothing. It goes to the address staff entered, which is
    the one that was recognised."""
    calls = []
    for link in links:
        invitation = link.invitation
        sender = sender_for(invitation.local_authority, channel, current_app.config)
        if isinstance(sender, UnavailableSender):
            result = sender.send(Message(to="", subject="", body=""))
            deliveries.record_delivery(
                local_authority_id=invitation.local_authority_id,
                purpose=SIGN_IN_LINK,
                channel=channel,
                status=result.status,
                error=result.error,
                invitation=invitation,
            )
            continue
        delivery = deliveries.record_delivery(
            local_authority_id=invitation.local_authority_id,
            purpose=SIGN_IN_LINK,
            channel=channel,
            status=deliveries.QUEUED,
            invitation=invitation,
        )
        db.session.flush()
        sealed = _secret_box().seal(link.token)
        calls.append(
            queue.Call(queue.SEND_SIGN_IN_LINK, (delivery.id, sealed, messages.site_address()))
        )
    db.session.commit()  # the worker must find the rows
    queue.send_later(calls)


def send_queued_sign_in_link(
    delivery_id: int, sealed: str, site: str, *, attempt: outbox.Attempt
) -> bool:
    """The worker's part: open the link and the address it was asked for, and send it."""

    def compose(delivery: Delivery) -> Message | SendResult:
        invitation = delivery.invitation
        assert invitation is not None
        try:
            token = _secret_box().open(sealed)
        except UnreadableSecret:
            return SendResult.failed(
                "Not sent: the link could not be read, because SECRET_KEY changed after it "
                "was queued. They can ask for another."
            )
        link = messages.public_url("families.sign_in.open_contact_link", site=site, token=token)
        channel = delivery.channel
        return messages.sign_in_link_message(
            invitation, link, channel, address_for(invitation, channel)
        )

    return outbox.send_recorded(delivery_id, compose, attempt)
