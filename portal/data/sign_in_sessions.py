from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from portal.domain.credentials import token_digest
from portal.extensions import db
from portal.models import (
    Child,
    Consultation,
    Invitation,
    LocalAuthority,
    Review,
    SignInSession,
    StaffUser,
    utcnow,
)

# Writing last_seen on every request would add a write to every page view; a
# minute's precision is plenty for a 20-minute idle limit.
LAST_SEEN_PRECISION = timedelta(seconds=60)


# Everything a page frame shows comes in one query, which runs on every request: for an
# invited person their invitation, its authority, and the child's IRO; for staff their
# account and authority. Built once: building a statement with loader options and
# working out its cache key costs more than running it. Each kind of session has its
# own, so neither loads the other's (empty) side on every page.
#
# Columns no page of theirs shows are left out (deferred: read on first use, if a page
# ever does): on PostgreSQL every column a row brings costs the driver and the ORM
# CPU time on each request, and these were 37 of 109. Leaving out the secrets (PIN,
# password and authenticator hashes) also keeps them out of every ordinary request.
_UNUSED_ON_PAGES: dict[type[Any], tuple[Any, ...]] = {
    Invitation: (
        Invitation.token_digest,
        Invitation.code_digest,
        Invitation.secret_hash,
    ),
    LocalAuthority: (
        LocalAuthority.email_sender,
        LocalAuthority.sms_sender,
        LocalAuthority.keep_consultations_months,
        LocalAuthority.keep_parked_answers_hours,
        LocalAuthority.keep_sessions_days,
        LocalAuthority.keep_deliveries_months,
        LocalAuthority.keep_audit_months,
        LocalAuthority.glossary,
        LocalAuthority.reading_age_goal,
        LocalAuthority.participation_measure,
    ),
    # What the IRO recorded of a review held: staff pages read it with their own queries.
    Review: (
        Review.external_ref,
        Review.attendees,
        Review.child_attended,
        Review.child_chaired,
        Review.child_spoke,
        Review.views_without_words,
        Review.advocate,
        Review.interpreter,
        Review.views_another_way,
        Review.suggested_code,
        Review.participation_code,
        Review.held_in_timescale,
        Review.recorded_by_id,
        Review.recorded_at,
    ),
    Child: (Child.external_ref, Child.came_into_care_on),
    StaffUser: (
        StaffUser.password_hash,
        StaffUser.failed_sign_ins,
        StaffUser.totp_secret,
        StaffUser.totp_last_step,
        StaffUser.totp_enrolled_at,
        StaffUser.created_at,
    ),
}


def _without_unused(model: type[Any]) -> list[Any]:
    return [defer(column) for column in _UNUSED_ON_PAGES[model]]


# What an invited person's page frame shows comes as records side by side in one row,
# rather than through joined loaders: the ORM builds a loader for each record on every
# run, and for a chain of joined loaders that cost more than the query. Each record is
# then attached to the one it belongs to, as loaded, so the page reads none of them
# again. Outer joins throughout, as joined loaders would: a record that is gone, or a
# session of the other kind, gives an empty side rather than no row.
_FRAME = (LocalAuthority, Review, Child, StaffUser)


def _with_frame(statement: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """``statement``, which reaches an invitation, joined to its authority, its review,
    the child and the child's IRO (to be selected in that order)."""
    return (
        statement.outerjoin(Invitation.local_authority)
        .outerjoin(Invitation.review)
        .outerjoin(Review.child)
        .outerjoin(Child.iro)
        .options(*(option for model in _FRAME for option in _without_unused(model)))
    )


def _attach_frame(
    invitation: Invitation | None,
    authority: LocalAuthority | None,
    review: Review | None,
    child: Child | None,
    iro: StaffUser | None,
) -> None:
    if invitation is None:
        return
    set_committed_value(invitation, "local_authority", authority)
    set_committed_value(invitation, "review", review)
    if review is not None:
        set_committed_value(review, "child", child)
        if child is not None:
            set_committed_value(child, "iro", iro)


_SESSION_OF_INVITATION = (
    _with_frame(
        select(SignInSession, Invitation, *_FRAME, Consultation).outerjoin(SignInSession.invitation)
    )
    # Nearly every page after sign-in is one of the consultation's own: it comes here
    # rather than with a query of its own (portal.data.consultations).
    .outerjoin(Invitation.consultation)
    .where(SignInSession.token_digest == bindparam("digest"))
    .options(*_without_unused(Invitation))
)


def _session_of_invitation(digest: str) -> SignInSession | None:
    row = db.session.execute(_SESSION_OF_INVITATION, {"digest": digest}).first()
    if row is None:
        return None
    found, invitation, authority, review, child, iro, consultation = row
    set_committed_value(found, "invitation", invitation)
    _attach_frame(invitation, authority, review, child, iro)
    if invitation is not None:
        set_committed_value(invitation, "consultation", consultation)
    return cast(SignInSession, found)


# A member of staff's own account keeps its sign-in columns: their pages about signing
# in read them, and the account is one row.
_staff = joinedload(SignInSession.staff_user)
_SESSION_OF_STAFF = (
    select(SignInSession)
    .where(SignInSession.token_digest == bindparam("digest"))
    .options(
        _staff,
        _staff.joinedload(StaffUser.local_authority).options(*_without_unused(LocalAuthority)),
    )
)


# Before sign-in, the invitation being signed in to comes with the same frame in one
# query (its pages show the authority and the child's IRO). Its own columns all come:
# the sign-in pages check its PIN and attempts.
_PENDING_INVITATION = _with_frame(select(Invitation, *_FRAME)).where(
    Invitation.id == bindparam("invitation_id")
)


def pending_invitation(invitation_id: int) -> Invitation | None:
    """The invitation someone is signing in to, with what its pages' frame shows."""
    row = db.session.execute(_PENDING_INVITATION, {"invitation_id": invitation_id}).first()
    if row is None:
        return None
    _attach_frame(*row)
    return cast(Invitation, row[0])


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
    digest = token_digest(token)
    found = (
        db.session.scalar(_SESSION_OF_STAFF, {"digest": digest})
        if staff
        else _session_of_invitation(digest)
    )
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
