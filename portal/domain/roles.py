"""Who people are to the portal: the one list of roles (their words are in portal.staff.labels)."""

from __future__ import annotations

from enum import StrEnum


class StaffRole(StrEnum):
    IRO = "iro"
    MANAGER = "manager"
    ADMINISTRATOR = "administrator"


class InviteeRole(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    CARER = "carer"
    PROFESSIONAL = "professional"
