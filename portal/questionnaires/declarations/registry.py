"""Which form each invitee answers, and every form version that answers may refer to."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from portal.domain.age_bands import AgeBand
from portal.questionnaires.declarations.carers import CARER
from portal.questionnaires.declarations.children import (
    AGE_8_TO_12,
    AGE_13_TO_17,
    CARE_LEAVER,
    UNDER_8,
)
from portal.questionnaires.declarations.model import Questionnaire
from portal.questionnaires.declarations.parents import PARENT
from portal.questionnaires.declarations.professionals import EDUCATION, HEALTH, OTHER

_Key = TypeVar("_Key", bound=Hashable)

# Roles are plain strings rather than portal.models.InviteeRole so that the declarations
# stay free of the database; tests/unit/test_declarations_registry.py holds the two together.
CHILD_ROLE = "child"
PROFESSIONAL_ROLE = "professional"

# A child's form follows their age on the day of the review, not their role.
FORMS_BY_AGE_BAND: Mapping[AgeBand, Questionnaire] = {
    AgeBand.UNDER_8: UNDER_8,
    AgeBand.AGE_8_TO_12: AGE_8_TO_12,
    AgeBand.AGE_13_TO_17: AGE_13_TO_17,
    AgeBand.CARE_LEAVER: CARE_LEAVER,
}
FORMS_BY_ROLE: Mapping[str, Questionnaire] = {
    "parent": PARENT,
    "carer": CARER,
}
# A professional's form follows what kind of professional they are
# (portal.domain.roles.ProfessionalKind, kept as plain strings here like the roles).
FORMS_BY_PROFESSION: Mapping[str, Questionnaire] = {
    "health": HEALTH,
    "education": EDUCATION,
    "other": OTHER,
}
# Listed, not merely absent from FORMS_BY_ROLE, so that a role can only go without a form
# by someone deciding it should. (Professionals invited before their forms existed
# have no kind recorded: they still get none, never a guess.)
ROLES_WITHOUT_A_FORM: frozenset[str] = frozenset()

# Versions no longer offered, kept so that answers given to them still show their questions.
RETIRED_FORMS: tuple[Questionnaire, ...] = ()


def _without_clashes(
    entries: Iterable[tuple[_Key, Questionnaire]],
) -> dict[_Key, Questionnaire]:
    # A dict built by comprehension would let a second form silently replace the first.
    index: dict[_Key, Questionnaire] = {}
    for key, form in entries:
        if key in index:
            raise ValueError(f"two forms are registered as {key!r}")
        index[key] = form
    return index


CURRENT_FORMS: dict[str, Questionnaire] = _without_clashes(
    (f.key, f)
    for f in (
        *FORMS_BY_AGE_BAND.values(),
        *FORMS_BY_ROLE.values(),
        *FORMS_BY_PROFESSION.values(),
    )
)
# Every version ever used, so old answers can always be shown with their questions.
ALL_FORMS: dict[tuple[str, int], Questionnaire] = _without_clashes(
    ((f.key, f.version), f) for f in (*CURRENT_FORMS.values(), *RETIRED_FORMS)
)


def form_for(age_band: AgeBand) -> Questionnaire:
    return CURRENT_FORMS[age_band]


def form_for_role(role: str, profession: str | None = None) -> Questionnaire | None:
    """The form a grown-up invited as ``role`` answers (for a professional, the form for
    their ``profession``), or None if there is none."""
    if role == CHILD_ROLE:
        # None would read as "no form"; a child always has one, chosen by age.
        raise ValueError("a child's form depends on their age: use form_for(age_band)")
    if role == PROFESSIONAL_ROLE:
        return FORMS_BY_PROFESSION.get(profession or "")
    return FORMS_BY_ROLE.get(role)


def form_version(key: str, version: int) -> Questionnaire:
    return ALL_FORMS[(key, version)]
