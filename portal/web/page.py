"""What the page frame shows: whose service this is and who to call."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, session
from sqlalchemy import select

from portal.data.invitations import invitation_by_id, local_authority_of
from portal.extensions import db
from portal.models import InviteeRole, LocalAuthority, StaffUser
from portal.web import people

CHILDLINE_PHONE = "0800 1111"


def _local_authority() -> tuple[LocalAuthority | None, StaffUser | None]:
    invitation = g.get("invitation")
    if invitation is None and session.get(people.PENDING_INVITATION):
        invitation = invitation_by_id(session[people.PENDING_INVITATION])
    if invitation is not None:
        return local_authority_of(invitation), invitation.review.child.iro
    staff = g.get("staff_user")
    if staff is not None:
        return staff.local_authority, None
    # Before sign-in we only know the authority when the deployment serves one.
    only = db.session.scalars(select(LocalAuthority).limit(2)).all()
    return (only[0] if len(only) == 1 else None), None


def page_context() -> dict[str, Any]:
    if "page_frame" not in g:
        # With the database down, a neutral frame: no authority's name or contacts.
        local_authority, iro = (None, None) if g.get("database_unavailable") else _local_authority()
        kind = "staff" if g.get("staff_user") is not None else "invitation"
        invitation = g.get("invitation")
        g.page_frame = {
            # Parents, carers and professionals are told who to ask about the review,
            # not offered Childline and the children's advocacy service.
            "grown_up": invitation is not None and invitation.role != InviteeRole.CHILD,
            "local_authority": local_authority,
            "iro": iro,
            "childline_phone": CHILDLINE_PHONE,
            "signed_in": g.get("invitation") is not None or g.get("staff_user") is not None,
            "idle_minutes": current_app.config[
                "STAFF_IDLE_MINUTES" if kind == "staff" else "CHILD_IDLE_MINUTES"
            ],
        }
    return dict(g.page_frame)
