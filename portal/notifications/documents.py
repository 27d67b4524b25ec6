"""Telling the child (and parents or carers, when chosen) that a plan or letter is ready.

Once per version and person (a unique key on the delivery), through the channel their
invitation came by; a letter invitation gets nothing sent (the IRO hands it over). The
message names no child and holds no words from the document: it says there is
something to read and where to sign in.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from portal.data import deliveries
from portal.data.invitations import is_usable
from portal.domain import documents as rules
from portal.extensions import db
from portal.models import Delivery, Document, DocumentVersion, Invitation, Review

from . import messages, outbox, queue
from .delivering import address_for
from .senders import Channel, Message

log = logging.getLogger(__name__)

DOCUMENT_NOTICE = "document_notice"


def once_key(version: DocumentVersion, invitation: Invitation) -> str:
    return f"document:{version.id}:{invitation.id}"


def readers_to_tell(document: Document) -> list[Invitation]:
    """Open email and text invitations of the child's latest review (or the letter's)
    whose role may read this document."""
    review_id = document.review_id or db.session.scalar(
        select(Review.id)
        .where(Review.child_id == document.child_id)
        .order_by(Review.planned_on.desc())
        .limit(1)
    )
    if review_id is None:
        return []
    readers = rules.Readers(parents=document.for_parents, carers=document.for_carers)
    found = db.session.scalars(
        select(Invitation).where(
            Invitation.review_id == review_id,
            Invitation.channel.in_([Channel.EMAIL, Channel.SMS]),
        )
    ).all()
    return [i for i in found if is_usable(i) and rules.may_read_document(i.role, readers)]


def tell_readers(document: Document, version: DocumentVersion) -> None:
    """Queue one message to each reader. Never raises: publishing has happened."""
    try:
        claimed: list[Delivery] = []
        for invitation in readers_to_tell(document):
            claim = deliveries.claim_once(
                invitation,
                purpose=DOCUMENT_NOTICE,
                channel=invitation.channel,
                once_key=once_key(version, invitation),
            )
            if claim is not None:
                claimed.append(claim)
        db.session.commit()
        site = messages.site_address()
        queue.send_later(
            queue.Call(queue.SEND_DOCUMENT_NOTICE, (claim.id, site)) for claim in claimed
        )
    except Exception:
        db.session.rollback()
        log.exception("could not tell readers about document %s", document.id)


def send_queued_notice(delivery_id: int, site: str, *, attempt: outbox.Attempt) -> bool:
    def compose(delivery: Delivery) -> Message:
        invitation = delivery.invitation
        assert invitation is not None
        channel = delivery.channel
        return messages.document_notice_message(
            invitation, channel, address_for(invitation, channel), site=site
        )

    return outbox.send_recorded(delivery_id, compose, attempt)
