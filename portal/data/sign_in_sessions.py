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


# Everything a page frame shows comes in one query, which runs on every request: for an
# invited person their invitation, its authority, and the child's IRO; for staff their
# account and authority. Built once: building a statement with loader options and
# working out its cache key costs more than running it. Each kind of session has its
# own, so neither loads the other's (empty) side on every page.
_invitation = joinedload(SignInSession.invitation)
_SESSION_OF_INVITATION = (
    select(SignInSession)
    .where(SignInSession.token_digest == bindparam("digest"))
    .options(
        _invitation.joinedload(Invitation.local_authority),
        _invitation.joinedload(Invitation.review).joinedload(Review.child).joinedload(Child.iro),
    )
)
_SESSION_OF_STAFF = (
    select(SignInSession)
    .where(SignInSession.token_digest == bindparam("digest"))
    .options(joinedload(SignInSession.staff_user).joinedload(StaffUser.local_authority))
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
    token: str, idle_limit: timedelta, now: datetime | None = None, *, staff: bool = False
) -> tuple[SignInSession | None, bool]:
    """The session for ``token`` if still live, and whether it has just run out.

    ``staff`` says which kind of session the cookie was given for, so which side of it
    to load at once; the other side still loads if it is asked for.
    """
    now = now or utcnow()
    statement = _SESSION_OF_STAFF if staff else _SESSION_OF_INVITATION
    found = db.session.scalar(statement, {"digest": token_digest(token)})
    if found is None or found.ended_at is not None:
        return None, found is not None
    if now - found.last_seen_at > idle_limit:
        found.ended_at = now
        return None, True
    if now - found.last_seen_at > LAST_SEEN_PRECISION:
        found.last_seen_at = now
    return found, False


def save_keeping_what_is_loaded() -> None:
    """Commit the session's new last-seen time (or its end) without expiring what this
    request has loaded.

    A commit normally marks every loaded object as stale, so the next use of the
    invitation, its review, child, IRO and authority reads each again, one query at a
    time. They were read in this same transaction a moment ago and the only change is
    this one, so they are kept as they are.
    """
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def touch(sign_in: SignInSession) -> None:
    sign_in.last_seen_at = utcnow()


def end_session(token: str) -> None:
    found = db.session.scalar(
        select(SignInSession).where(SignInSession.token_digest == token_digest(token))
    )
    if found is not None and found.ended_at is None:
        found.ended_at = utcnow()
