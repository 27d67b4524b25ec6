"""Words staff see for the portal's codes: review statuses and types, invitation states, roles."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.domain.audiences import Audience
from portal.domain.invitation_states import InvitationState
from portal.domain.reviews import Status
from portal.domain.roles import InviteeRole, ProfessionalKind, StaffRole
from portal.domain.timescales import ReviewKind, Timeliness

REVIEW_STATUS = {
    Status.PLANNED: _l("Planned"),
    Status.HELD: _l("Held"),
    Status.REARRANGED: _l("Rearranged"),
    Status.STOOD_DOWN: _l("Stood down"),
    Status.ADJOURNED: _l("Adjourned"),
    Status.CANCELLED: _l("Cancelled"),
}
REVIEW_KIND = {
    ReviewKind.INITIAL: _l("Initial review"),
    ReviewKind.SECOND: _l("Second review"),
    ReviewKind.SUBSEQUENT: _l("Subsequent review"),
    ReviewKind.ADDITIONAL: _l("Additional review"),
    ReviewKind.PATHWAY_PLAN: _l("Pathway plan review"),
}
INVITATION_STATE = {
    InvitationState.INVITED: _l("Invited"),
    InvitationState.OPENED: _l("Opened"),
    InvitationState.STARTED: _l("Started"),
    InvitationState.SUBMITTED: _l("Submitted"),
    InvitationState.SUBMITTED_LATE: _l("Submitted late"),
    InvitationState.LOCKED: _l("Locked"),
    InvitationState.REVOKED: _l("Withdrawn"),
    InvitationState.EXPIRED: _l("Expired"),
}
INVITATION_STATE_TAG = {
    InvitationState.INVITED: "grey",
    InvitationState.OPENED: "blue",
    InvitationState.STARTED: "blue",
    InvitationState.SUBMITTED: "green",
    InvitationState.SUBMITTED_LATE: "purple",
    InvitationState.LOCKED: "red",
    InvitationState.REVOKED: "grey",
    InvitationState.EXPIRED: "grey",
}
INVITEE_ROLE = {
    InviteeRole.CHILD: _l("Child or young person"),
    InviteeRole.PARENT: _l("Parent"),
    InviteeRole.CARER: _l("Carer"),
    InviteeRole.PROFESSIONAL: _l("Professional"),
}
# Who may read each answer (portal.domain.audiences), as the IRO reads it beside it.
AUDIENCE = {
    Audience.IRO: _l("For the IRO only"),
    Audience.IRO_AND_SOCIAL_WORKER: _l("For the IRO and the social worker"),
    Audience.MEETING: _l("For everyone at the meeting"),
}
PROFESSIONAL_KIND = {
    ProfessionalKind.HEALTH: _l("Health professional"),
    ProfessionalKind.EDUCATION: _l("Education professional"),
    ProfessionalKind.OTHER: _l("Other professional"),
}
DELIVERY_STATUS = {
    "queued": _l("Waiting to send"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "printed": _l("Ready to print"),
    "failed": _l("Not sent"),
}
STAFF_ROLE = {
    StaffRole.IRO: _l("IRO"),
    StaffRole.MANAGER: _l("Manager"),
    StaffRole.ADMINISTRATOR: _l("Administrator"),
}
TIMELINESS = {
    Timeliness.OVERDUE: _l("Overdue"),
    Timeliness.DUE_SOON: _l("Due soon"),
    Timeliness.ON_TRACK: _l("On track"),
}
TIMELINESS_TAG = {
    Timeliness.OVERDUE: "red",
    Timeliness.DUE_SOON: "purple",
    Timeliness.ON_TRACK: "green",
}


def labels_context() -> dict[str, Any]:
    return {
        "labels": {
            "review_status": REVIEW_STATUS,
            "review_kind": REVIEW_KIND,
            "invitation_state": INVITATION_STATE,
            "invitation_state_tag": INVITATION_STATE_TAG,
            "invitee_role": INVITEE_ROLE,
            "staff_role": STAFF_ROLE,
            "delivery_status": DELIVERY_STATUS,
            "timeliness": TIMELINESS,
            "timeliness_tag": TIMELINESS_TAG,
            "invited_as": invited_as,
            "audience": AUDIENCE,
        }
    }


def invited_as(role: str, professional_kind: str | None) -> str:
    """ "Carer", or for a professional what kind: "Education professional"."""
    if role == InviteeRole.PROFESSIONAL and professional_kind in PROFESSIONAL_KIND:
        return str(PROFESSIONAL_KIND[ProfessionalKind(professional_kind)])
    return str(INVITEE_ROLE[InviteeRole(role)]) if role in INVITEE_ROLE else role
