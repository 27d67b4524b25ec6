from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.domain import credentials
from portal.extensions import db
from portal.models import Child, Invitation, InviteeRole, LocalAuthority, Review, utcnow


@dataclass(frozen=True)
class IssuedInvitation:
    """What the invitation letter prints. Only digests are kept after this."""

    invitation: Invitation
    link_token: str
    code: str


def issue_invitation(
    review: Review,
    *,
    invitee_name: str,
    role: InviteeRole,
    language: str,
    code_key: str,
    valid_for: timedelta = timedelta(days=60),
    now: datetime | None = None,
) -> IssuedInvitation:
    token = credentials.new_link_token()
    code = credentials.new_invitation_code()
    invitation = Invitation(
        local_authority_id=review.local_authority_id,
        review=review,
        role=role,
        invitee_name=invitee_name,
        language=language,
        token_digest=credentials.token_digest(token),
        code_digest=credentials.code_digest(code, code_key),
        expires_at=(now or utcnow()) + valid_for,
    )
    db.session.add(invitation)
    return IssuedInvitation(invitation, token, code)


def invitation_by_token(token: str) -> Invitation | None:
    digest = credentials.token_digest(token)
    return db.session.scalar(select(Invitation).where(Invitation.token_digest == digest))


def invitation_by_code(code: str, code_keys: Sequence[str]) -> Invitation | None:
    """The invitation with this code, made with the current key or an earlier one."""
    if not credentials.looks_like_a_code(code):
        return None
    digests = [credentials.code_digest(code, key) for key in code_keys]
    return db.session.scalar(select(Invitation).where(Invitation.code_digest.in_(digests)))


def invitation_by_id(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def is_usable(invitation: Invitation, now: datetime | None = None) -> bool:
    return invitation.revoked_at is None and invitation.expires_at > (now or utcnow())


def record_opened(invitation: Invitation) -> None:
    if invitation.first_opened_at is None:
        invitation.first_opened_at = utcnow()


def record_failed_secret(invitation: Invitation) -> None:
    invitation.failed_secret_attempts += 1
    if credentials.is_locked_after(invitation.failed_secret_attempts):
        invitation.locked_at = utcnow()


def record_good_secret(invitation: Invitation) -> None:
    invitation.failed_secret_attempts = 0


def child_of(invitation: Invitation) -> Child:
    return invitation.review.child


def local_authority_of(invitation: Invitation) -> LocalAuthority:
    return invitation.local_authority
