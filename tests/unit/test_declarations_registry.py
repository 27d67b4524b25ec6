"""The form registry covers every invitee role and every declared form version."""

from dataclasses import replace
from types import ModuleType

import pytest

from portal.domain.age_bands import AgeBand
from portal.domain.roles import ProfessionalKind
from portal.models import InviteeRole
from portal.questionnaires.declarations import (
    carers,
    children,
    parents,
    professionals,
    registry,
)
from portal.questionnaires.declarations.model import Questionnaire, Step


@pytest.mark.parametrize("role", list(InviteeRole))
def test_every_role_has_a_form_or_is_listed_without_one(role: InviteeRole) -> None:
    if role == registry.CHILD_ROLE:
        assert set(registry.FORMS_BY_AGE_BAND) == set(AgeBand)
        return
    if role == registry.PROFESSIONAL_ROLE:
        assert set(registry.FORMS_BY_PROFESSION) == {k.value for k in ProfessionalKind}
        for kind in ProfessionalKind:
            assert registry.form_for_role(role, kind) is registry.FORMS_BY_PROFESSION[kind]
        # A professional whose kind was never recorded gets no form, never a guess.
        assert registry.form_for_role(role) is None
        return
    has_form = registry.form_for_role(role) is not None
    listed_without = role in registry.ROLES_WITHOUT_A_FORM
    assert has_form != listed_without, (
        f"role {role!r} needs a form in FORMS_BY_ROLE or an entry in ROLES_WITHOUT_A_FORM"
    )


def test_the_registry_names_only_real_roles() -> None:
    roles = {r.value for r in InviteeRole}
    assert registry.CHILD_ROLE in roles
    grown_ups = roles - {registry.CHILD_ROLE}
    assert set(registry.FORMS_BY_ROLE) <= grown_ups
    assert registry.ROLES_WITHOUT_A_FORM.issubset(grown_ups)
    assert not set(registry.FORMS_BY_ROLE) & registry.ROLES_WITHOUT_A_FORM


@pytest.mark.parametrize("role", sorted(registry.FORMS_BY_ROLE))
def test_a_grown_ups_form_is_current_under_their_role(role: str) -> None:
    # The families' views look an adult's form up in CURRENT_FORMS by their role.
    assert registry.CURRENT_FORMS[role] is registry.form_for_role(role)


def test_a_childs_form_is_chosen_by_age_not_role() -> None:
    with pytest.raises(ValueError, match="age"):
        registry.form_for_role(registry.CHILD_ROLE)


@pytest.mark.parametrize("band", list(AgeBand))
def test_age_bands_choose_the_forms_they_always_did(band: AgeBand) -> None:
    assert registry.form_for(band) is registry.FORMS_BY_AGE_BAND[band]
    assert registry.form_for(band).key == band


def test_every_form_version_is_reachable_by_form_version() -> None:
    for (key, version), form in registry.ALL_FORMS.items():
        assert (form.key, form.version) == (key, version)
        assert registry.form_version(key, version) is form
    for form in (*registry.CURRENT_FORMS.values(), *registry.RETIRED_FORMS):
        assert registry.form_version(form.key, form.version) is form


def test_no_two_forms_share_a_key_and_version() -> None:
    declared = [
        (f.key, f.version) for f in (*registry.CURRENT_FORMS.values(), *registry.RETIRED_FORMS)
    ]
    assert len(declared) == len(set(declared)) == len(registry.ALL_FORMS)
    offered = [
        *registry.FORMS_BY_AGE_BAND.values(),
        *registry.FORMS_BY_ROLE.values(),
        *registry.FORMS_BY_PROFESSION.values(),
    ]
    assert len({f.key for f in offered}) == len(offered) == len(registry.CURRENT_FORMS)


@pytest.mark.parametrize(
    "module", [children, parents, carers, professionals], ids=lambda m: m.__name__
)
def test_every_declared_form_is_registered(module: ModuleType) -> None:
    for name, value in vars(module).items():
        if isinstance(value, Questionnaire):
            assert any(value is f for f in registry.ALL_FORMS.values()), (
                f"{module.__name__}.{name} is not in ALL_FORMS"
            )


def _steps_by_key(form: Questionnaire) -> dict[str, Step]:
    return {s.key: s for s in form.steps}


def test_8_to_12_and_13_to_17_share_their_common_steps() -> None:
    younger = _steps_by_key(registry.form_for(AgeBand.AGE_8_TO_12))
    older = _steps_by_key(registry.form_for(AgeBand.AGE_13_TO_17))
    assert [k for k in older if k in younger] == list(younger)
    assert set(older) - set(younger) == {"your_rights"}
    for key in younger.keys() - {"meeting"}:
        assert younger[key] is older[key], key


def test_8_to_12_and_13_to_17_meetings_differ_only_by_the_chair_option() -> None:
    younger = registry.form_for(AgeBand.AGE_8_TO_12).step("meeting")
    older = registry.form_for(AgeBand.AGE_13_TO_17).step("meeting")
    assert younger is not None and older is not None
    assert (younger.key, younger.title, younger.intro) == (older.key, older.title, older.intro)
    assert [q.key for q in younger.questions] == [q.key for q in older.questions]
    for young_q, old_q in zip(younger.questions, older.questions, strict=True):
        if young_q.key != "attend":
            assert young_q is old_q
            continue
        assert tuple(o for o in old_q.options if o.value != "chair") == young_q.options
        assert "chair" in {o.value for o in old_q.options}
        assert replace(old_q, options=young_q.options) == young_q
