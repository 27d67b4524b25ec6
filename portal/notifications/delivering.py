"""Sending an invitation the way it was asked for, and replacing lost credentials."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from portal.data import deliveries
from portal.data.invitations import IssuedInvitation
from portal.domain import credentials
from portal.models import Delivery, Invitation, utcnow

from . import messages
from .senders import Channel, Message, send_safely, sender_for

INVITATION = "invitation"
REMINDER = "reminder"
SAFETY_ALERT = "safety_alert"

# As long as a new invitation lasts (portal.data.invitations.issue_invitation).
VALID_FOR = timedelta(days=60)


def address_for(invitation: Invitation, channel: str) -> str:
    return invitation.contact_phone if channel == Channel.SMS else invitation.contact_email


def deliver_invitation(issued: IssuedInvitation) -> Delivery:
    """Send (or make ready to print) and record it. The caller commits.

    For a letter nothing leaves the portal: the caller shows the letter page, which is
    the only place the code is ever shown.
    """
    invitation = issued.invitation
    channel = invitation.channel
    sender = sender_for(invitation.local_authority, channel, current_app.config)
    if channel == Channel.LETTER:
        result = sender.send(Message(to="", subject="", body=""))
    else:
        details = messages.invitation_details(invitation, issued.link_token, issued.code)
        message = messages.invitation_message(details, channel, address_for(invitation, channel))
        result = send_safely(sender, message)
    return deliveries.record_delivery(
        local_authority_id=invitation.local_authority_id,
        purpose=INVITATION,
        channel=channel,
        status=result.status,
        error=result.error,
        provider_reference=result.provider_reference,
        invitation=invitation,
    )


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
