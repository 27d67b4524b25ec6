"""Who may read each answer, who may help a young child, and asking for an advocate:
the rules in portal.domain, tested directly."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain import advocacy, audiences, helping
from portal.domain.audiences import Audience, Reader, audience_for, may_read
from portal.domain.reviews import Status
from portal.questionnaires.builder import AUDIENCE_CHOICES, asks_who_reads
from portal.questionnaires.declarations import ALL_FORMS, CURRENT_FORMS
from portal.questionnaires.declarations.shared import ADVOCATE

# --- Who reads what ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "sees"),
    [
        (Reader.IRO, {Audience.IRO, Audience.IRO_AND_SOCIAL_WORKER, Audience.MEETING}),
        (Reader.SOCIAL_WORKER, {Audience.IRO_AND_SOCIAL_WORKER, Audience.MEETING}),
        (Reader.MEETING, {Audience.MEETING}),
    ],
)
def test_each_reader_sees_only_the_answers_meant_for_them(
    reader: Reader, sees: set[Audience]
) -> None:
    assert {a for a in Audience if may_read(reader, a)} == sees


def test_an_unknown_audience_is_read_as_the_narrowest() -> None:
    for value in ("", "everyone", "MEETING", "meeting "):
        assert may_read(Reader.IRO, value)
        assert not may_read(Reader.SOCIAL_WORKER, value)
        assert not may_read(Reader.MEETING, value)
    assert audiences.parse("meeting") is Audience.MEETING and audiences.parse(None) is None


def test_the_safe_default_is_the_iro_only_and_the_authority_starts_at_the_meeting() -> None:
    assert audiences.SAFE_DEFAULT is Audience.IRO
    assert audiences.AUTHORITY_DEFAULT is Audience.MEETING


def test_every_audience_fits_its_column() -> None:
    # answer.audience and local_authority.default_answer_audience are String(20).
    assert all(len(a.value) <= 20 for a in Audience)


def test_left_out_counts_what_a_record_does_not_show() -> None:
    stored = ["iro", "meeting", "iro_social_worker", "meeting", "nonsense"]
    assert audiences.left_out(Reader.MEETING, stored) == 3
    assert audiences.left_out(Reader.IRO, stored) == 0


def _for(**given: object) -> Audience:
    values: dict[str, object] = {
        "fixed": False,
        "chooses": True,
        "chosen": None,
        "previous": None,
        "default": "meeting",
        "locked": False,
    }
    values.update(given)
    return audience_for(**values)  # type: ignore[arg-type]


def test_what_the_child_chose_then_what_it_had_then_the_authoritys_default() -> None:
    assert _for(chosen="iro") is Audience.IRO
    assert _for(chosen="iro", previous="meeting") is Audience.IRO
    assert _for(previous="iro_social_worker") is Audience.IRO_AND_SOCIAL_WORKER
    assert _for() is Audience.MEETING
    assert _for(default="iro_social_worker") is Audience.IRO_AND_SOCIAL_WORKER
    # A value that names no audience is not a choice.
    assert _for(chosen="everyone", previous="iro") is Audience.IRO
    assert _for(default="broken") is Audience.IRO


def test_private_and_safety_questions_and_grown_ups_answers_are_for_the_iro() -> None:
    assert _for(fixed=True, chosen="meeting", previous="meeting") is Audience.IRO
    assert _for(chooses=False, chosen="meeting") is Audience.IRO
    assert audiences.always_for_the_iro(private=True, may_raise_concern=False)
    assert audiences.always_for_the_iro(private=False, may_raise_concern=True)
    assert not audiences.always_for_the_iro(private=False, may_raise_concern=False)
    assert audiences.chooses_audience("child")
    assert not any(audiences.chooses_audience(r) for r in ("parent", "carer", "professional"))


def test_once_the_review_is_held_an_answer_keeps_its_audience() -> None:
    assert not audiences.may_change(Status.HELD)
    assert all(audiences.may_change(s) for s in Status if s != Status.HELD)
    assert _for(locked=True, chosen="meeting", previous="iro") is Audience.IRO
    # A new answer written late still gets a choice.
    assert _for(locked=True, chosen="iro") is Audience.IRO


def test_the_child_is_offered_every_audience_narrowest_first() -> None:
    assert [value for value, _label in AUDIENCE_CHOICES] == list(Audience)


def test_only_childrens_own_words_offer_the_choice_never_private_or_safety_ones() -> None:
    offered = {
        (form.key, question.key)
        for form in ALL_FORMS.values()
        for step in form.steps
        for question in step.questions
        if asks_who_reads(form, question)
    }
    assert offered, "children choose beside their own words"
    for form_key, question_key in offered:
        form = CURRENT_FORMS[form_key]
        question = form.question(question_key)
        assert question is not None
        assert form_key not in ("parent", "carer")
        assert question.type in ("text", "short_text")
        assert not question.private and not question.safety_values
    assert ("age_13_to_17", "only_for_iro") not in offered
    assert ("age_13_to_17", "working_well") in offered
    assert ("under_8", "makes_you_happy") in offered


# --- Helping a young child -------------------------------------------------------------

REVIEW_DAY = date(2027, 3, 10)


def _may_help(**given: object) -> bool:
    values: dict[str, object] = {
        "helper_role": "carer",
        "helper_review_id": 1,
        "child_role": "child",
        "child_review_id": 1,
        "child_born_on": date(2020, 3, 11),  # 6 on the review day
        "review_day": REVIEW_DAY,
    }
    values.update(given)
    return helping.may_help(**values)  # type: ignore[arg-type]


def test_a_carer_for_the_same_review_may_help_a_child_under_8() -> None:
    assert _may_help()
    assert _may_help(child_born_on=date(2019, 3, 11))  # 7, 8 tomorrow


def test_nobody_else_may_help() -> None:
    assert not _may_help(helper_role="parent")
    assert not _may_help(helper_role="child")
    assert not _may_help(helper_role="professional")
    assert not _may_help(helper_review_id=2)
    assert not _may_help(child_role="carer")
    assert not _may_help(child_born_on=date(2019, 3, 10))  # 8 on the day
    assert not _may_help(child_born_on=date(2012, 1, 1))


# --- Asking for an advocate -------------------------------------------------------------


def test_only_a_childs_yes_asks_for_an_advocate() -> None:
    assert advocacy.asks_for_an_advocate("child", {"wants_advocate": "yes"})
    assert not advocacy.asks_for_an_advocate("child", {"wants_advocate": "not_sure"})
    assert not advocacy.asks_for_an_advocate("child", {"wants_advocate": "no"})
    assert not advocacy.asks_for_an_advocate("child", {})
    assert not advocacy.asks_for_an_advocate("parent", {"wants_advocate": "yes"})


def test_the_rule_names_the_question_the_forms_ask() -> None:
    assert ADVOCATE.key == advocacy.QUESTION_KEY
    assert advocacy.YES in {option.value for option in ADVOCATE.options}


def test_the_advocacy_service_gets_the_first_name_only() -> None:
    assert advocacy.first_name("Robin Okafor") == "Robin"
    assert advocacy.first_name("  أمير  حسن ") == "أمير"
    assert advocacy.first_name("Jess") == "Jess"
    assert advocacy.once_key(42) == "advocacy:42"
