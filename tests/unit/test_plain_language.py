"""The writing assistant for letters and plan summaries (portal.domain.plain_language)."""

from __future__ import annotations

import dataclasses

import pytest

from portal.domain.plain_language import (
    DEFAULT_GLOSSARY,
    LONG_SENTENCE_WORDS,
    CareJargon,
    LongSentence,
    PlainLanguageReport,
    check,
)
from portal.domain.rich_text import plain_text

# The grades below are what textstat 0.7.8 gives, obtained with:
#   from textstat.textstat import textstatistics
#   ts = textstatistics(); ts.set_lang("en_GB")
#   ts.flesch_kincaid_grade(text)
# The reading age is that grade + 5, rounded half up and kept between 5 and 18.
SHORT_AND_KIND = (
    "Dear Sam. Thank you for coming to your review. You told us you like your new school. "
    "You want to see your brother more. We will make that happen."
)
SHORT_AND_KIND_GRADE = 0.6650862068965537
MEDIUM = (
    "We talked about your school and your friends. You said that you would like to see your "
    "brother more often, and that you would like to choose where you meet him."
)
MEDIUM_GRADE = 3.3969354838709656
HARD = (
    "The Independent Reviewing Officer will consider the appropriateness of the arrangements "
    "identified within the statutory care planning documentation, including the "
    "recommendations regarding educational provision."
)
HARD_GRADE = 25.728333333333335


@pytest.mark.parametrize(
    ("text", "grade", "reading_age", "above_goal"),
    [
        (SHORT_AND_KIND, SHORT_AND_KIND_GRADE, 6, False),  # 0.67 + 5 = 5.67 -> 6
        (MEDIUM, MEDIUM_GRADE, 8, False),  # 3.40 + 5 = 8.40 -> 8
        (HARD, HARD_GRADE, 18, True),  # 25.73 + 5 = 30.7, shown as 18 ("adult")
    ],
)
def test_known_texts_have_known_reading_ages(
    text: str, grade: float, reading_age: int, above_goal: bool
) -> None:
    report = check(text)
    assert report.grade_level == round(grade, 1)
    assert report.reading_age == reading_age
    assert report.above_goal is above_goal
    assert report.goal_reading_age == 9


def test_the_goal_is_the_writers_to_set() -> None:
    assert check(MEDIUM, goal_reading_age=7).above_goal
    assert not check(MEDIUM, goal_reading_age=8).above_goal  # 8 is not above 8
    with pytest.raises(ValueError, match="at least 1"):
        check(MEDIUM, goal_reading_age=0)


def test_very_easy_text_is_reading_age_five_not_less() -> None:
    report = check("Hi Sam. It is me. See you.")
    assert report.grade_level is not None and report.grade_level < 0
    assert report.reading_age == 5


def test_a_heading_or_bullet_is_a_sentence_of_its_own() -> None:
    letter = plain_text(
        "<h2>What happens next</h2><ul><li>You will stay with Jo and Alex</li>"
        "<li>You will start football on Saturdays</li></ul><p>We will meet again in March</p>"
    )
    assert letter == (
        "What happens next\nYou will stay with Jo and Alex\n"
        "You will start football on Saturdays\nWe will meet again in March"
    )
    report = check(letter)
    # textstat alone reads the four lines as one 22-word sentence (grade 8.0, reading age 13);
    # given a full stop each, grade 1.5731818181818191.
    assert report.grade_level == 1.6
    assert report.reading_age == 7
    assert report.long_sentences == ()


def test_sentences_longer_than_twenty_words_are_listed_with_their_counts() -> None:
    twenty = "One two three four five six seven eight nine ten " * 2
    heading = "A heading with no full stop but" + " many" * 13 + " words"  # 21 words
    text = (
        f"{twenty.strip()}. "  # exactly 20 words: not long
        "Short one. "
        f"{twenty}and twenty-one! "  # 22: "twenty-one" is one word
        "We will, e.g. at the review, ask you what you think about where you live and who "
        "you see, and then we will write it down in your plan?\n"
        f"{heading}"
    )
    report = check(text)
    assert LONG_SENTENCE_WORDS == 20
    assert report.long_sentences == (
        LongSentence(text=f"{twenty}and twenty-one!", words=22),
        LongSentence(
            text="We will, e.g. at the review, ask you what you think about where you live and "
            "who you see, and then we will write it down in your plan?",
            words=29,
        ),
        LongSentence(text=heading, words=21),
    )


def test_care_jargon_is_found_once_each_with_its_count_and_kinder_words() -> None:
    text = (
        "Your LAC review is next week. We will talk about your placement, your Care Plan and "
        "contact with your mum. Looked-after children have a care plan.\n"
        "Your IRO will ask about your siblings and about respite. PLACEMENT moves are hard. "
        "Care plans change. Your IRO's notes. The lacquer and the contactless card are fine."
    )
    report = check(text)
    assert report.jargon == (
        CareJargon("LAC review", "your review, the meeting about you", 1),
        CareJargon("placement", "your home", 2),
        CareJargon("care plan", "your plan", 3),
        CareJargon("contact", "family time", 1),
        CareJargon("looked after children", "children in care", 1),
        CareJargon("IRO", "your Independent Reviewing Officer", 2),
        CareJargon("siblings", "brothers and sisters", 1),
        CareJargon("respite", "short break", 1),
    )
    assert report.has_advice


def test_the_default_glossary_holds_the_words_that_care() -> None:
    expected = {
        "placement": "your home",
        "contact": "family time",
        "LAC": "children in care",
        "respite": "short break",
        "care plan": "your plan",
        "sibling": "brother or sister",
    }
    assert expected.items() <= DEFAULT_GLOSSARY.items()
    for term in ("LAC review", "looked after child", "statutory review", "IRO"):
        assert term in DEFAULT_GLOSSARY
    assert "parental responsibility" in DEFAULT_GLOSSARY
    assert len(DEFAULT_GLOSSARY) >= 15


def test_an_authoritys_glossary_merges_over_the_default() -> None:
    text = (
        "Your placement is going well. Your IRO will visit. Your RHA is due. Contact is on Friday."
    )
    report = check(
        text,
        glossary={
            "Placement": "where you live",  # overrides, in any case
            "iro": "",  # this authority's children know the word: off the list
            "RHA": "health check",  # an authority's own
        },
    )
    assert report.jargon == (
        CareJargon("Placement", "where you live", 1),
        CareJargon("RHA", "health check", 1),
        CareJargon("contact", "family time", 1),
    )
    # the default itself is untouched for the next authority
    assert check(text).jargon[0] == CareJargon("placement", "your home", 1)


def test_a_glossary_term_is_matched_literally_not_as_a_pattern() -> None:
    report = check("Ask the S.W. team or the SW team.", glossary={"S.W.": "social work"})
    assert CareJargon("S.W.", "social work", 1) in report.jargon
    assert CareJargon("SW", "social worker", 1) in report.jargon


EMPTY_REPORT = PlainLanguageReport(
    reading_age=None,
    grade_level=None,
    goal_reading_age=9,
    long_sentences=(),
    jargon=(),
    word_count=0,
)


@pytest.mark.parametrize("text", ["", " ", "\n\n\t ", "...", "👋🙂🎉", "\u200b\u2067\u2069"])
def test_nothing_to_read_gives_no_reading_age_and_no_crash(text: str) -> None:
    report = check(text)
    assert report == EMPTY_REPORT
    assert not report.above_goal
    assert not report.has_advice


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا، كيف حالك اليوم؟ نحن سعداء بلقائك.",  # Arabic
        "ሰላም፡ ከመይ ኣለኻ?",  # Tigrinya
        "سلام، حال شما چطور است؟",  # Dari / Farsi
    ],
)
def test_text_mostly_in_another_script_is_not_given_an_english_reading_age(text: str) -> None:
    report = check(text)
    assert report.reading_age is None
    assert report.grade_level is None
    assert report.word_count > 0


def test_mixed_text_emoji_and_direction_marks_do_not_crash() -> None:
    text = (
        "Hi \u2067محمد\u2069 👋! You said you like football ⚽ and your new school. "
        "\u202eThis was reversed.\u202c Well done 🎉\x00"
    )
    report = check(text)
    assert report.reading_age is not None
    assert 5 <= report.reading_age <= 18
    assert report.jargon == ()


def test_the_report_cannot_be_changed_once_made() -> None:
    report = check(MEDIUM)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.reading_age = 1  # type: ignore[misc]
