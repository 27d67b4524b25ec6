from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from portal.domain.credentials import token_digest
from portal.extensions import db
from portal.models import Child, Invitation, Review, SignInSession, StaffUser, utcnow

# Writing last_seen on every request would add a write to every page view; a
# minute's precision is plenty for a 20-minute idle limit.
LAST_SEEN_PRECISION = timedelta(seconds=60)


# Everything a page frame shows comes in this one query, which runs on every request.
# It is built once: building a statement with loader options and working out its
# cache key costs more than running it.
_invitation = joinedload(SignInSession.invitation)
_SESSION_WITH_FRAME = (
    select(SignInSession)
    .where(SignInSession.token_digest == bindparam("digest"))
    .options(
        _invitation.joinedload(Invitation.local_authority),
        _invitation.joinedload(Invitation.review).joinedload(Review.child).joinedload(Child.iro),
        joinedload(SignInSession.staff_user).joinedload(StaffUser.local_authority),
    )
)


def start_session(*, invitation_id: int | None = None, staff_user_id: int | None = None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        SignInSession(
            token_digest=token_digest(token),
            invitation_id=invitation_id,
            staff_user_id=staff_user_id,
        )
    )
    return token


def live_session(
    token: str, idle_limit: timedelta, now: datetime | None = None
) -> tuple[SignInSession | None, bool]:
    """The session for ``token`` if still live, and whether it has just run out."""
    now = now or utcnow()
    found = db.session.scalar(_SESSION_WITH_FRAME, {"digest": token_digest(token)})
    if found is None or found.ended_at is not None:
        return None, found is not None
    if now - found.last_seen_at > idle_limit:
        found.ended_at = now
        return None, True
    if now - found.last_seen_at > LAST_SEEN_PRECISION:
        found.last_seen_at = now
    return found, False


def touch(sign_in: SignInSession) -> None:
    sign_in.last_seen_at = utcnow()


def end_session(token: str) -> None:
    found = db.session.scalar(
        select(SignInSession).where(SignInSession.token_digest == token_digest(token))
    )
    if found is not None and found.ended_at is None:
        found.ended_at = utcnow()
