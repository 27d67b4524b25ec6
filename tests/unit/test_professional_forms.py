"""The professionals' forms: short, all optional, and asking what the review needs of them."""

from __future__ import annotations

import re

import pytest

from portal.questionnaires.declarations import children, professionals
from portal.questionnaires.declarations.model import AnswerType, Question, Questionnaire
from portal.questionnaires.declarations.shared import ADULT_VIEWS_STEP

FORMS = [professionals.HEALTH, professionals.EDUCATION, professionals.OTHER]

# What each professional is asked, by question key (see "Consultation content" in
# /work/shared/domain.md). OTHER's concerns are ADULT_VIEWS_STEP's "What are you worried
# about?", which every form asks.
DOMAIN_ITEMS = {
    "professional_health": {
        "health_assessment_date",
        "health_assessment_up_to_date",
        "dental_check_up_to_date",
        "optician_check_up_to_date",
        "immunisations_up_to_date",
        "emotional_wellbeing",
        "health_concerns",
    },
    "professional_education": {
        "pep_date",
        "attendance",
        "exclusions",
        "education_progress",
        "support_in_place",
        "education_concerns",
    },
    "professional_other": {"involvement", "worried_about"},
}
SIGNS_OF_SAFETY = {"working_well", "worried_about", "needs_to_happen"}


def _questions(form: Questionnaire) -> list[Question]:
    return [q for step in form.steps for q in step.questions]


def _keys(form: Questionnaire) -> list[str]:
    return [q.key for q in _questions(form)]


def _children_safety_keys() -> set[str]:
    """Keys of the children's questions about feeling safe, or that can flag the child unsafe."""
    child_forms = [v for v in vars(children).values() if isinstance(v, Questionnaire)]
    assert child_forms
    return {
        q.key
        for form in child_forms
        for q in _questions(form)
        if q.safety_values or "safe" in q.key
    }


_ids = pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)


def test_the_forms_are_named_and_versioned_as_declared() -> None:
    assert [(f.key, f.version) for f in FORMS] == [
        ("professional_health", 1),
        ("professional_education", 1),
        ("professional_other", 1),
    ]
    assert [f.name for f in FORMS] == [
        "Version for health professionals",
        "Version for education professionals",
        "Version for other professionals",
    ]


@_ids
def test_question_and_step_keys_are_unique_snake_case(form: Questionnaire) -> None:
    keys = _keys(form)
    assert len(keys) == len(set(keys))
    step_keys = [s.key for s in form.steps]
    assert len(step_keys) == len(set(step_keys))
    for key in (*keys, *step_keys):
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", key), key
        assert len(key) <= 60  # the width of the answer and parked-step key columns


@_ids
def test_no_question_is_required(form: Questionnaire) -> None:
    assert [q.key for q in _questions(form) if q.required] == []


@_ids
def test_short_enough_for_a_phone(form: Questionnaire) -> None:
    assert len(_questions(form)) <= 12
    assert len(form.steps) <= 4


@_ids
def test_asks_what_the_review_needs_of_this_professional(form: Questionnaire) -> None:
    assert DOMAIN_ITEMS[form.key].issubset(_keys(form))


@_ids
def test_ends_with_the_grown_ups_views_and_the_meeting(form: Questionnaire) -> None:
    assert SIGNS_OF_SAFETY.issubset(_keys(form))
    assert form.steps[-2] is ADULT_VIEWS_STEP
    assert form.steps[-1].key == "meeting"
    assert _keys(form)[-1] == "attend"


@_ids
def test_no_interpreter_questions(form: Questionnaire) -> None:
    # Those are for families; a professional is not asked whether they need one.
    assert not any("interpreter" in key for key in _keys(form))


@_ids
def test_asks_nothing_a_child_is_asked_about_feeling_safe(form: Questionnaire) -> None:
    safety_keys = _children_safety_keys()
    assert "feel_safe_home" in safety_keys
    assert not safety_keys & set(_keys(form))
    # Nor can any answer here flag the child as unsafe: that is the child's own word.
    assert [q.key for q in _questions(form) if q.safety_values] == []


@_ids
def test_nothing_is_private_to_the_iro(form: Questionnaire) -> None:
    assert [q.key for q in _questions(form) if q.private] == []


@_ids
def test_choices_have_options_and_written_answers_do_not(form: Questionnaire) -> None:
    for question in _questions(form):
        values = [o.value for o in question.options]
        if question.type == AnswerType.CHOICE:
            assert len(values) >= 2, question.key
            assert len(values) == len(set(values)), question.key
        else:
            assert question.type in (AnswerType.TEXT, AnswerType.SHORT_TEXT), question.key
            assert values == [], question.key


@_ids
def test_dates_are_a_line_with_an_example(form: Questionnaire) -> None:
    for key in ("health_assessment_date", "pep_date"):
        question = form.question(key)
        if question is not None:
            assert question.type == AnswerType.SHORT_TEXT
            assert question.hint


def test_dental_optician_and_immunisations_can_be_not_known() -> None:
    for key in ("dental_check_up_to_date", "optician_check_up_to_date", "immunisations_up_to_date"):
        question = professionals.HEALTH.question(key)
        assert question is not None
        assert "not_known" in {o.value for o in question.options}


def test_attendance_and_exclusions_can_be_not_known() -> None:
    for key in ("attendance", "exclusions"):
        question = professionals.EDUCATION.question(key)
        assert question is not None
        assert "not_known" in {o.value for o in question.options}


@_ids
def test_every_text_survives_being_used_as_a_format_string(form: Questionnaire) -> None:
    # Templates translate with jinja's newstyle gettext, which always applies ``% {}``:
    # a lone "%" (as in "95%") would break the page.
    texts = [form.name]
    for step in form.steps:
        texts += [step.title, *([step.intro] if step.intro else [])]
        for question in step.questions:
            texts += [question.label, *([question.hint] if question.hint else [])]
            texts += [o.label for o in question.options]
    for text in texts:
        assert text % {} == text, text
