"""Check your answers is read on a phone: one section and one "Change" link a topic,
questions left empty listed briefly, and long answers shortened with the whole text
one press away (a <details>, so it works without JavaScript)."""

from __future__ import annotations

import html5lib

from portal.questionnaires.declarations import form_version
from portal.questionnaires.declarations.children import AGE_13_TO_17
from tests import factories
from tests.journeys import child_signs_in

NS = "{http://www.w3.org/1999/xhtml}"
# Long answers, with emoji (one with a skin tone) and a mixed Arabic and English one.
LONG = (
    "Most days are fine but the bus to school takes nearly an hour and I am often late, "
    "which gets me in trouble even though it is not my fault 😞. I would like to move to "
    "a school nearer my home, or a bus pass for the earlier bus 👍🏽. My teacher helps me "
    "with maths after lunch on Tuesdays and I want to keep doing that."
)
LONG_MIXED = (
    "أريد أن أرى أخي الصغير أكثر من مرة في الشهر لأنني أشتاق إليه كثيرًا. "
    "My social worker said maybe in the summer holidays. "
    "أريد أيضًا أن ألعب كرة القدم مع فريق المدرسة يوم السبت وأن أتعلم الإنجليزية بسرعة."
)
SHORT = "My carer Pat 🙂"
LONG_ANSWERS = {"school_comments": LONG, "family_time_comments": LONG_MIXED}
LEFT_EMPTY = {"meeting_when", "interpreter_language", "needs_to_happen"}


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join("".join(element.itertext()).split())


def _answer_everything(client, cid: str) -> None:  # type: ignore[no-untyped-def]
    questionnaire = form_version(AGE_13_TO_17.key, AGE_13_TO_17.version)
    for step in questionnaire.steps:
        values = {}
        for question in step.questions:
            if question.key in LEFT_EMPTY:
                continue
            if question.options:
                values[question.key] = question.options[0].value
            else:
                values[question.key] = LONG_ANSWERS.get(question.key, SHORT)
        saved = client.submit(f"/consultation/{cid}/{step.key}", values)
        assert saved.status_code == 302, step.key


def _check_page(client):  # type: ignore[no-untyped-def]
    *_, issued = factories.world(age=15)
    cid = child_signs_in(client, issued).split("/")[2]
    _answer_everything(client, cid)
    response = client.get(f"/consultation/{cid}/check")
    assert response.status_code == 200
    page = html5lib.parse(response.text, namespaceHTMLElements=True)
    return cid, response.text, page.find(f".//{NS}main")


def test_each_topic_is_a_section_with_one_change_link(client) -> None:
    cid, _html, main = _check_page(client)
    questionnaire = form_version(AGE_13_TO_17.key, AGE_13_TO_17.version)
    sections = main.findall(f".//{NS}section")
    assert len(sections) == len(questionnaire.steps) == 12
    links = [a for a in main.iter(f"{NS}a") if "?change=1" in (a.get("href") or "")]
    assert len(links) == len(questionnaire.steps)
    for section, step in zip(sections, questionnaire.steps, strict=True):
        heading = section.find(f".//{NS}h2")
        assert heading is not None and _text(heading) == step.title
        assert section.get("aria-labelledby") == heading.get("id")
        (change,) = [a for a in section.iter(f"{NS}a") if "?change=1" in (a.get("href") or "")]
        assert change.get("href") == f"/consultation/{cid}/{step.key}?change=1"
        # Its name says which topic: "Change – Your home", the topic hidden from sight.
        assert _text(change) == f"Change – {step.title}"
        hidden = change.find(f"{NS}span")
        assert hidden is not None and hidden.get("class") == "visually-hidden"


def test_questions_left_empty_are_listed_together(client) -> None:
    _cid, _html, main = _check_page(client)
    meeting = main.find(f".//{NS}section[@aria-labelledby='topic-meeting']")
    assert meeting is not None
    rows = meeting.findall(f".//{NS}div")
    unanswered = [row for row in rows if "check-topic__unanswered" in (row.get("class") or "")]
    assert len(unanswered) == 1
    assert _text(unanswered[0].find(f"{NS}dt")) == "Not answered"
    assert [_text(li) for li in unanswered[0].iter(f"{NS}li")] == ["When is a good time for you?"]
    # A topic with every question answered has no such row.
    home = main.find(f".//{NS}section[@aria-labelledby='topic-home']")
    assert "Not answered" not in _text(home)


def test_a_long_answer_is_shortened_with_all_of_it_in_details(client) -> None:
    _cid, html, main = _check_page(client)
    assert len(list(main.iter(f"{NS}details"))) == len(LONG_ANSWERS)
    for full in LONG_ANSWERS.values():
        assert len(full) > 200
        (long_answer,) = [
            div
            for div in main.iter(f"{NS}div")
            if div.get("class") == "answer-long" and full in "".join(div.itertext())
        ]
        preview, details = list(long_answer)
        # First the beginning, cut between words, then "Show all" holding the whole text.
        shown = "".join(preview.itertext())
        assert shown.endswith("…") and len(shown) <= 200
        beginning = shown.removesuffix("…")
        assert full.startswith(beginning)
        assert full[len(beginning)] == " ", "cut at a space, never inside a word or emoji"
        assert details.tag == f"{NS}details"
        summary = next(iter(details))
        assert summary.tag == f"{NS}summary"
        assert "Show all" in _text(summary)
        (whole,) = details.findall(f"{NS}div")
        assert "".join(whole.itertext()) == full
        # Both keep the direction of the child's own words and the language they wrote in.
        for text in (preview, whole):
            assert text.get("dir") == "auto" and text.get("lang") == "en-GB"


def test_short_answers_are_shown_whole_as_written(client) -> None:
    _cid, html, main = _check_page(client)
    texts = [div for div in main.iter(f"{NS}div") if "answer-text" in (div.get("class") or "")]
    short = [div for div in texts if "".join(div.itertext()) == SHORT]
    assert short, "the short answers are shown as written"
    for div in short:
        assert div.get("dir") == "auto" and div.get("lang") == "en-GB"
    assert html.count(SHORT) == len(short)
    assert "Yes, for all of it" in _text(main)
