"""Who is signed in: an invited person (child, parent, carer) or a member of staff.

The cookie holds only a random session token; the session itself lives in the
database so that signing out, leaving the site or idling really ends it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy.exc import DBAPIError
from werkzeug.wrappers import Response

from portal.data import invitations as invitation_data
from portal.data import sign_in_sessions
from portal.domain import credentials
from portal.domain.access import Capability, can
from portal.extensions import commit_keeping_what_is_loaded, db
from portal.models import Invitation, StaffUser
from portal.web import tenancy

F = TypeVar("F", bound=Callable[..., Any])

SESSION_TOKEN = "sid"  # noqa: S105 - a session key name, not a secret
SESSION_KIND = "kind"
CHOSEN_LOCALE = "locale"
INVITATION_LOCALE = "invitation_locale"
PENDING_INVITATION = "pending_invitation"
PARKED_ANSWERS = "parked"
DEVICE = "device"
# Health checks answer for the service, never for a person (and must not need the database).
UNSIGNED_ENDPOINTS = frozenset({"frame.health", "frame.ready"})


def load_signed_in_person() -> None:
    g.invitation = None
    g.staff_user = None
    g.session_expired = False
    if request.path.startswith("/static/") or request.endpoint in UNSIGNED_ENDPOINTS:
        return
    token = session.get(SESSION_TOKEN)
    if not token:
        return
    kind = session.get(SESSION_KIND)
    minutes = current_app.config["STAFF_IDLE_MINUTES" if kind == "staff" else "CHILD_IDLE_MINUTES"]
    idle_limit = timedelta(minutes=minutes)
    try:
        sign_in, expired = sign_in_sessions.live_session(token, idle_limit, staff=kind == "staff")
    except DBAPIError as error:
        # The database ended this connection after the pool checked it (a restart at that
        # very moment): the pool now holds none of the old ones, so ask once more.
        if not error.connection_invalidated:
            raise
        db.session.rollback()
        sign_in, expired = sign_in_sessions.live_session(token, idle_limit, staff=kind == "staff")
    if db.session.dirty:
        commit_keeping_what_is_loaded()
    if sign_in is None:
        session.pop(SESSION_TOKEN, None)
        session.pop(SESSION_KIND, None)
        g.session_expired = expired
        return
    if (
        sign_in.invitation is not None
        and invitation_data.is_usable(sign_in.invitation)
        and sign_in.invitation.locked_at is None
    ):
        g.invitation = sign_in.invitation
        tenancy.set_tenant(sign_in.invitation.local_authority_id)
    elif sign_in.staff_user is not None and sign_in.staff_user.active:
        g.staff_user = sign_in.staff_user
        tenancy.set_tenant(sign_in.staff_user.local_authority_id)


def _start(kind: str, **owner: int) -> None:
    keep = {k: session[k] for k in (CHOSEN_LOCALE, PARKED_ANSWERS, DEVICE) if k in session}
    session.clear()  # a new session id on every sign-in: no fixation
    session.update(keep)
    session[SESSION_TOKEN] = sign_in_sessions.start_session(**owner)
    session[SESSION_KIND] = kind


def device_id() -> str:
    """A random id for this browser, kept in its session cookie: rate limits on sign-in
    count a device's failures, not a whole home's or school's that share an address."""
    device = session.get(DEVICE)
    if not isinstance(device, str) or not 8 <= len(device) <= 32:
        device = session[DEVICE] = secrets.token_urlsafe(12)
    return device


def sign_in_invitation(invitation: Invitation) -> None:
    _start("invitation", invitation_id=invitation.id)
    session[INVITATION_LOCALE] = invitation.language


def sign_in_staff(staff: StaffUser) -> None:
    _start("staff", staff_user_id=staff.id)


def sign_out(*, forget_everything: bool = False) -> None:
    token = session.get(SESSION_TOKEN)
    if token:
        sign_in_sessions.end_session(token)
        db.session.commit()
    keep = (
        {}
        if forget_everything
        else {
            k: session[k]
            for k in (CHOSEN_LOCALE, INVITATION_LOCALE, PARKED_ANSWERS)
            if k in session
        }
    )
    session.clear()
    session.update(keep)


def current_invitation() -> Invitation:
    invitation = g.get("invitation")
    assert invitation is not None, "the families guard lets no one else through"
    return cast(Invitation, invitation)


def current_staff() -> StaffUser:
    staff = g.get("staff_user")
    assert staff is not None, "the staff guard lets no one else through"
    return cast(StaffUser, staff)


def open_to_anyone(view: F) -> F:
    """Mark a view that an audience's guard lets through before sign-in (the sign-in pages)."""
    view.open_to_anyone = True  # type: ignore[attr-defined]
    return view


def is_open_to_anyone(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint or "")
    return bool(getattr(view, "open_to_anyone", False))


def sign_in_again(endpoint: str) -> Response:
    """Back to a sign-in page, saying why when the session ran out."""
    reason = "expired" if g.get("session_expired") else None
    return redirect(url_for(endpoint, reason=reason))


def capability_required(capability: Capability) -> Callable[[F], F]:
    """Staff whose role has ``capability``; others get the not-found page.

    The staff side's guard (``portal.staff``) has already made sure someone is signed in.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            staff = g.get("staff_user")
            if staff is not None and not can(staff.role, capability):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def switch_invitation(invitation: Invitation) -> None:
    """Carry on as the same person with another of their invitations (the caller has made
    sure it is theirs: portal.data.invitations.invitations_of_the_same_person)."""
    token = session.get(SESSION_TOKEN)
    if not token:
        return
    invitation_data.switch_to(credentials.token_digest(token), invitation)
    g.invitation = invitation
