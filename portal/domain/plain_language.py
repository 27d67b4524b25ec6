"""A writing assistant for what staff write to a child or a parent: how hard it is to read,
which sentences are long, and which care-system words have kinder, plainer ones.

The text is English. Letters and plan summaries are written in English and translations come
from translators, so the measures here are English measures (syllables from the CMU
pronouncing dictionary and English hyphenation rules); on text that is mostly in another
script the reading age is not given rather than made up.

Give it plain text, not HTML: ``portal.domain.rich_text.plain_text`` turns a cleaned document
into lines, one per heading, paragraph or list item.

Nothing here decides anything: the report is advice shown beside the editor. Staff know when
"contact" means family time and when it means "get in touch".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from textstat.textstat import textstatistics

# "Reading age about 9 for children's text" (Words that care).
DEFAULT_GOAL_READING_AGE: Final = 9
# Sentences longer than this are listed for the writer to split.
LONG_SENTENCE_WORDS: Final = 20

# Reading age = Flesch-Kincaid grade + 5, the grade being a US school year (grade 1 starts at
# age 6). Flesch-Kincaid is chosen among textstat's measures because it is built only from
# sentence length and syllables per word, the two things a writer can change and the two this
# report points at; it gives a figure for a short letter (SMOG needs 30 sentences), and it
# does not depend on a list of "easy" American words (Dale-Chall, Spache). It is a guide, not
# a test of the child: it cannot see that a word is unfamiliar, only that it is long.
GRADE_TO_READING_AGE: Final = 5
# Flesch-Kincaid goes below zero for very short, one-syllable sentences and past 20 for legal
# prose; reading ages under five or over eighteen would suggest a precision the formula does not
# have ("18" reads as "adult"). The unclamped grade stays in the report.
YOUNGEST_READING_AGE: Final = 5
OLDEST_READING_AGE: Final = 18

# The care system's words and plainer ones to use with a child. The first entries are the
# "Words that care" section of the domain notes; the rest are the system's acronyms and terms
# of art that a child or parent cannot be expected to know. IRO, advocate and pathway plan are
# words a child will meet again, so the advice for them is the meaning, to give the first time.
# Keys are matched as whole words, in any case, with spaces or hyphens between their words and
# an optional plural "s"; the longest term wins where they overlap ("LAC review" is reported
# once, not also as "LAC"). Read-only, so one authority's glossary cannot leak into another's.
DEFAULT_GLOSSARY: Final[Mapping[str, str]] = MappingProxyType(
    {
        "placement": "your home",
        "foster placement": "your foster home",
        "residential placement": "your children's home",
        "contact": "family time",
        "LAC": "children in care",
        "looked after child": "child in care",
        "looked after children": "children in care",
        "LAC review": "your review, the meeting about you",
        "statutory review": "your review",
        "respite": "short break",
        "care plan": "your plan",
        "care plan document": "your plan",
        "IRO": "your Independent Reviewing Officer",
        "advocate": "someone who helps you say what you think",
        "pathway plan": "your plan for leaving care",
        "parental responsibility": "who can make big decisions about you",
        "sibling": "brother or sister",
        "siblings": "brothers and sisters",
        "CYP": "you, or children and young people",
        "UASC": "young people who came to the UK on their own",
        "corporate parent": "the council, who look after you",
        "local authority": "the council",
        "SW": "social worker",
        "personal education plan": "your school plan",
        "LAC nurse": "children in care nurse",
        "permanence": "a home where you can stay as you grow up",
    }
)


@dataclass(frozen=True, slots=True)
class LongSentence:
    text: str
    words: int


@dataclass(frozen=True, slots=True)
class CareJargon:
    """A glossary term found in the text, as the glossary spells it, and how often."""

    term: str
    say_instead: str
    count: int


@dataclass(frozen=True, slots=True)
class PlainLanguageReport:
    # None when there is nothing to measure: no words, or words mostly not in English.
    reading_age: int | None
    # The Flesch-Kincaid grade textstat gave, kept so the figure can be explained.
    grade_level: float | None
    goal_reading_age: int
    long_sentences: tuple[LongSentence, ...]
    jargon: tuple[CareJargon, ...]
    word_count: int

    @property
    def above_goal(self) -> bool:
        return self.reading_age is not None and self.reading_age > self.goal_reading_age

    @property
    def has_advice(self) -> bool:
        return self.above_goal or bool(self.long_sentences) or bool(self.jargon)


def check(
    text: str,
    *,
    goal_reading_age: int = DEFAULT_GOAL_READING_AGE,
    glossary: Mapping[str, str] | None = None,
) -> PlainLanguageReport:
    """Read the text as a child would meet it and say what would make it easier.

    ``glossary`` is an authority's own list; it merges over DEFAULT_GLOSSARY, term by term
    (in any case), and an empty "say instead" takes a default term off the list for that
    authority.
    """
    if goal_reading_age < 1:
        raise ValueError(f"A reading age goal must be at least 1, not {goal_reading_age}")
    sentences = list(_sentences(text))
    word_count = sum(_count_words(sentence) for sentence in sentences)
    grade = _flesch_kincaid_grade(sentences) if word_count and _is_mostly_english(text) else None
    return PlainLanguageReport(
        reading_age=None if grade is None else _reading_age(grade),
        grade_level=None if grade is None else round(grade, 1) + 0.0,  # never "-0.0"
        goal_reading_age=goal_reading_age,
        long_sentences=tuple(
            LongSentence(text=sentence, words=words)
            for sentence in sentences
            if (words := _count_words(sentence)) > LONG_SENTENCE_WORDS
        ),
        jargon=_find_jargon(text, _merged_glossary(glossary)),
        word_count=word_count,
    )


# One instance of our own, in British English, so a change of language made elsewhere through
# textstat's module-level instance cannot change these figures.
_TEXTSTAT: Final = textstatistics()
_TEXTSTAT.set_lang("en_GB")

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


def _sentences(text: str) -> Iterator[str]:
    """Sentences as a reader meets them: a heading, a list item or a line is a sentence of its
    own even without a full stop."""
    for line in text.splitlines():
        pieces = _SENTENCE_END.split(line)
        ends = [match.group().rstrip() for match in _SENTENCE_END.finditer(line)] + [""]
        sentence = ""
        for piece, end in zip(pieces, ends, strict=True):
            # A new sentence starts with something other than a small letter, so "e.g. at the
            # review" stays one sentence. "Mrs. Khan" is split, but British style writes "Mrs
            # Khan", and a sentence cut short is the safe mistake in a search for long ones.
            if sentence and piece[:1].islower():
                sentence = f"{sentence} {piece}{end}"
                continue
            if sentence.strip():
                yield " ".join(sentence.split())
            sentence = piece + end
        if sentence.strip():
            yield " ".join(sentence.split())


def _count_words(sentence: str) -> int:
    # A word has a letter or a digit in it: a lone dash or an emoji is not a word to read.
    return sum(1 for token in sentence.split() if any(ch.isalnum() for ch in token))


def _is_mostly_english(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    # Latin letters, accented ones included (U+0000-U+024F): "café" and "Zoë" are English here.
    latin = sum(1 for ch in letters if ch < "\u0250")
    return bool(letters) and latin * 2 >= len(letters)


def _flesch_kincaid_grade(sentences: list[str]) -> float | None:
    # textstat splits sentences only at ".", "!" and "?", so a heading or a bullet point would
    # run into the next sentence and a list would read as one endless sentence: each line is
    # given its full stop first.
    prepared = " ".join(s if _TERMINAL.search(s) else f"{s}." for s in sentences)
    grade = float(_TEXTSTAT.flesch_kincaid_grade(prepared))
    # textstat gives exactly 0.0 when it found no words or no syllables (emoji, numbers).
    return None if grade == 0.0 and _TEXTSTAT.syllable_count(prepared) == 0 else grade


def _reading_age(grade: float) -> int:
    # Half up, as people round: a grade of 4.5 is a reading age of 10, not the 9 that
    # Python's round-half-to-even would give.
    age = math.floor(grade + GRADE_TO_READING_AGE + 0.5)
    return min(OLDEST_READING_AGE, max(YOUNGEST_READING_AGE, age))


def _glossary_key(term: str) -> str:
    return " ".join(re.split(r"[\s\-\u2010\u2011]+", term.strip().casefold()))


def _merged_glossary(extra: Mapping[str, str] | None) -> dict[str, tuple[str, str]]:
    """Normalised key -> (term as the glossary spells it, what to say instead)."""
    merged = {_glossary_key(term): (term, instead) for term, instead in DEFAULT_GLOSSARY.items()}
    for term, instead in (extra or {}).items():
        key = _glossary_key(term)
        if not key:
            continue
        if instead.strip():
            merged[key] = (term.strip(), instead.strip())
        else:
            merged.pop(key, None)
    return merged


_WORD_GAP: Final = r"[\s\-\u2010\u2011]+"


def _find_jargon(text: str, glossary: dict[str, tuple[str, str]]) -> tuple[CareJargon, ...]:
    if not glossary or not text:
        return ()
    # Longest first, so that at any one place "LAC review" is tried before "LAC".
    alternatives = sorted(glossary, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(_WORD_GAP.join(re.escape(word) for word in key.split()) for key in alternatives)
        + r")s?(?!\w)",
        re.IGNORECASE,
    )
    counts: dict[str, int] = {}
    for match in pattern.finditer(text):
        found = _glossary_key(match.group())
        key = found if found in glossary else found[:-1]
        # Case-insensitive matching and casefolding can disagree on a rare letter (the dotted
        # capital I, say); such a match is not a glossary term after all.
        if key in glossary:
            # dicts keep insertion order: terms are reported in the order the text uses them
            counts[key] = counts.get(key, 0) + 1
    return tuple(
        CareJargon(term=glossary[key][0], say_instead=glossary[key][1], count=count)
        for key, count in counts.items()
    )
