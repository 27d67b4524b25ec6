import pytest

from portal.domain.roles import InviteeRole
from portal.domain.safety import is_unsafe_answer, raises_concern
from portal.domain.text import clean_answer_text, has_direction_controls
from portal.questionnaires.declarations import (
    FEEL_SAFE_HOME,
    HOME_STEP,
    WORKING_WELL,
)


def test_cleaning_removes_nul_and_control_bytes_but_keeps_writing() -> None:
    written = "Hello\x00 world\x07\r\nمرحبا 👋 \u200bzero-width \u202eoverride"
    cleaned = clean_answer_text(written)
    assert "\x00" not in cleaned and "\x07" not in cleaned
    assert cleaned == "Hello world\nمرحبا 👋 \u200bzero-width \u202eoverride"


def test_cleaning_handles_nothing() -> None:
    assert clean_answer_text(None) == ""
    assert clean_answer_text("   ") == ""


def test_direction_controls_are_noticed() -> None:
    assert has_direction_controls("abc\u202edef")
    assert has_direction_controls("\u2067x\u2069")
    assert not has_direction_controls("مرحبا hello")


def test_not_feeling_safe_raises_a_concern() -> None:
    assert is_unsafe_answer(FEEL_SAFE_HOME, "no")
    assert not is_unsafe_answer(FEEL_SAFE_HOME, "mostly")
    assert not is_unsafe_answer(WORKING_WELL, "no")


def test_worried_or_scared_faces_for_home_raise_a_concern() -> None:
    home_feeling = HOME_STEP.questions[0]
    assert is_unsafe_answer(home_feeling, "scared")
    assert is_unsafe_answer(home_feeling, "worried")
    assert not is_unsafe_answer(home_feeling, "okay")


def test_a_concern_is_raised_when_an_answer_becomes_unsafe_not_when_saved_again() -> None:
    assert raises_concern("child", FEEL_SAFE_HOME, None, "no")
    assert raises_concern("child", FEEL_SAFE_HOME, "yes", "no")
    assert not raises_concern("child", FEEL_SAFE_HOME, "no", "no")
    assert not raises_concern("child", FEEL_SAFE_HOME, "no", "yes")


@pytest.mark.parametrize("role", [r for r in InviteeRole if r != InviteeRole.CHILD])
def test_no_adults_answer_raises_a_childs_safety_concern(role: InviteeRole) -> None:
    # Asked of a parent, carer or professional, "do you feel safe?" is about them.
    assert not raises_concern(role, FEEL_SAFE_HOME, None, "no")
    assert not raises_concern(role, FEEL_SAFE_HOME, "yes", "no")
