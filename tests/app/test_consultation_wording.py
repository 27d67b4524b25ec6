"""Each consultation page says only what is true of it: a page with a question that
must be answered does not say "You do not have to answer everything"."""

from __future__ import annotations

import re

from portal.questionnaires.declarations import form_version
from portal.questionnaires.declarations.children import AGE_13_TO_17, UNDER_8
from tests import factories
from tests.journeys import child_signs_in

ALL_OPTIONAL = "You do not have to answer everything."
SOME_REQUIRED = "Questions marked “required” need an answer."
SAVED = "Your answers are saved each time you press “Save and continue”."
MARK = '<span class="required-mark">(required)</span>'


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_youngest_childs_first_page_does_not_say_everything_is_optional(client) -> None:
    assert [q.key for q in UNDER_8.steps[0].questions if q.required] == ["helped_by"]
    *_, issued = factories.world(age=6)  # Ruby's form, with pictures
    first = child_signs_in(client, issued)
    assert first.endswith("/helper")
    page = client.get(first).text
    assert ALL_OPTIONAL not in page
    assert SOME_REQUIRED in page and SAVED in page
    # The required question carries the mark in its label (the radios' legend); the
    # optional one beside it does not.
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", page, re.S)
    assert legend is not None
    assert _text(legend.group(1)) == "Who is helping you fill this in? (required)"
    assert page.count(MARK) == 1
    label = re.search(r'<label class="label" for="helper_name">(.*?)</label>', page, re.S)
    assert label is not None and "required" not in label.group(1)


def test_a_page_of_optional_questions_says_so_and_marks_nothing(client) -> None:
    *_, issued = factories.world(age=6)
    first = child_signs_in(client, issued)
    cid = first.split("/")[2]
    home = UNDER_8.step("home")
    assert home is not None and not any(q.required for q in home.questions)
    page = client.get(f"/consultation/{cid}/home").text
    assert f"{ALL_OPTIONAL} {SAVED}" in page
    assert SOME_REQUIRED not in page
    assert "required-mark" not in page


def test_every_page_of_the_teenagers_form_is_all_optional(client) -> None:
    *_, issued = factories.world(age=15)
    first = child_signs_in(client, issued)
    cid = first.split("/")[2]
    questionnaire = form_version(AGE_13_TO_17.key, AGE_13_TO_17.version)
    for step in questionnaire.steps:
        page = client.get(f"/consultation/{cid}/{step.key}").text
        assert ALL_OPTIONAL in page and SOME_REQUIRED not in page, step.key


def test_sign_in_fields_are_needed_but_not_marked(client) -> None:
    # Every field there is needed, and the page does not explain a mark: none is shown.
    page = client.get("/sign-in").text
    assert 'for="code"' in page
    assert "required-mark" not in page
