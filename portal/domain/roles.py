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


class ProfessionalKind(StrEnum):
    """Which professional's form someone invited as a professional answers."""

    HEALTH = "health"  # children-in-care nurse, school nurse, GP
    EDUCATION = "education"  # designated teacher, Virtual School
    OTHER = "other"  # youth offending, therapist, advocate
