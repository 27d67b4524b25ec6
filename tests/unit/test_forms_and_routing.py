import pytest

from portal.domain.age_bands import AgeBand
from portal.questionnaires import router as routing
from portal.questionnaires.declarations import (
    ALL_FORMS,
    CURRENT_FORMS,
    AnswerType,
    Question,
    Questionnaire,
    Step,
    form_for,
)


@pytest.mark.parametrize("band", list(AgeBand))
def test_every_age_band_has_a_form(band: AgeBand) -> None:
    assert form_for(band).key == band


@pytest.mark.parametrize("form", list(CURRENT_FORMS.values()), ids=lambda f: f.key)
def test_forms_are_well_formed(form: Questionnaire) -> None:
    keys = [s.key for s in form.steps]
    assert len(keys) == len(set(keys))
    assert routing.CHECK_ANSWERS not in keys
    for step in form.steps:
        assert step.questions
        for question in step.questions:
            if question.type in (AnswerType.CHOICE, AnswerType.FACES):
                assert question.options
                values = [o.value for o in question.options]
                assert len(values) == len(set(values))
            assert question.safety_values <= {o.value for o in question.options}
    if form.simpler:
        assert form.simpler in CURRENT_FORMS
    assert ALL_FORMS[(form.key, form.version)] is form


@pytest.mark.parametrize("band", list(AgeBand))
def test_child_forms_ask_what_the_domain_needs(band: AgeBand) -> None:
    form = form_for(band)
    keys = set(form.question_index)
    assert "only_for_iro" in keys and form.question("only_for_iro").private  # type: ignore[union-attr]
    assert {"home_feeling", "feel_safe_home", "attend"} <= keys
    if band is not AgeBand.UNDER_8:
        assert {"working_well", "worried_about", "needs_to_happen"} <= keys
        assert {
            "talk_to_iro_alone",
            "wants_advocate",
            "wants_interpreter",
            "interpreter_language",
        } <= keys
    else:
        assert form.question("helped_by").required  # type: ignore[union-attr]


def test_under_8_form_uses_faces() -> None:
    faces = [
        q for q in form_for(AgeBand.UNDER_8).question_index.values() if q.type is AnswerType.FACES
    ]
    assert len(faces) >= 3
    assert all(o.picture for q in faces for o in q.options)


def test_a_question_key_cannot_appear_twice() -> None:
    question = Question("a", AnswerType.TEXT, "A")
    with pytest.raises(ValueError, match="twice"):
        Questionnaire("x", 1, "X", (Step("s1", "S1", (question,)), Step("s2", "S2", (question,))))


def test_routing_walks_forward_and_back_to_check_answers() -> None:
    form = form_for(AgeBand.AGE_13_TO_17)
    first, second = form.steps[0].key, form.steps[1].key
    assert routing.first_step(form) == first
    assert routing.next_step(form, first) == second
    assert routing.previous_step(form, second) == first
    assert routing.previous_step(form, first) is None
    assert routing.next_step(form, form.steps[-1].key) == routing.CHECK_ANSWERS
    assert routing.next_step(form, first, changing=True) == routing.CHECK_ANSWERS
    assert routing.previous_step(form, routing.CHECK_ANSWERS) == form.steps[-1].key
    assert routing.position(form, second) == routing.Position(2, len(form.steps))


def test_resume_goes_back_to_where_the_child_was() -> None:
    form = form_for(AgeBand.AGE_8_TO_12)
    assert routing.resume_step(form, "home") == "home"
    assert routing.resume_step(form, routing.CHECK_ANSWERS) == routing.CHECK_ANSWERS
    # A step that a newer version dropped: start again rather than fail.
    assert routing.resume_step(form, "no_such_step") == form.steps[0].key
    assert routing.resume_step(form, None) == form.steps[0].key
