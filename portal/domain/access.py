"""Who may do what in the staff workspace. Plain rules, no Flask.

Everything is already limited to the person's own local authority (see
``portal.web.tenancy``); these rules decide what they may do inside it.
"""

from __future__ import annotations

from enum import StrEnum


class Capability(StrEnum):
    SEE_WHOLE_SERVICE = "see_whole_service"  # every child, not just a caseload
    REASSIGN_CHILDREN = "reassign_children"
    MANAGE_CHILDREN = "manage_children"  # add and edit children and reviews
    INVITE = "invite"
    IMPORT = "import"
    READ_AUDIT_TRAIL = "read_audit_trail"
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_SETTINGS = "manage_settings"
    UNLOCK_INVITATIONS = "unlock_invitations"
    MARK_AWAY = "mark_away"  # set who is away and who covers them
    SEE_FIGURES = "see_figures"  # participation figures: a caseload's, or with
    # SEE_WHOLE_SERVICE the whole service's
    WRITE_TO_CHILDREN = "write_to_children"  # plans and letters in words children understand


_IRO = frozenset({Capability.MANAGE_CHILDREN, Capability.INVITE, Capability.WRITE_TO_CHILDREN})
_IRO = _IRO | {Capability.SEE_FIGURES}
_MANAGER = _IRO | {
    Capability.SEE_WHOLE_SERVICE,
    Capability.REASSIGN_CHILDREN,
    Capability.IMPORT,
    Capability.READ_AUDIT_TRAIL,
    Capability.MARK_AWAY,
    Capability.UNLOCK_INVITATIONS,
}
# Administrators run accounts and settings. They see no child's record, so a
# technical role never reads what children wrote.
_ADMINISTRATOR = frozenset(
    {
        Capability.MANAGE_ACCOUNTS,
        Capability.MANAGE_SETTINGS,
        Capability.UNLOCK_INVITATIONS,
        Capability.IMPORT,
        Capability.READ_AUDIT_TRAIL,
        Capability.MARK_AWAY,
    }
)

CAPABILITIES: dict[str, frozenset[Capability]] = {
    "iro": _IRO,
    "manager": _MANAGER,
    "administrator": _ADMINISTRATOR,
}


def can(role: str, capability: Capability) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())


def sees_children(role: str) -> bool:
    """Whether the role works with children's records at all."""
    return role in ("iro", "manager")


# Wrong passwords and wrong authenticator codes together lock a staff account.
MAX_FAILED_SIGN_INS = 10
