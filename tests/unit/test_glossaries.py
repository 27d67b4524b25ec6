"""Each language's glossary keeps key words the same everywhere families read them:
"IRO" is always kept, and every message that uses a glossary term in English uses that
language's term for it (word by word, allowing for endings: Romanian adds articles,
Ukrainian cases, Somali and Albanian possessives)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.domain.languages import TRANSLATED, public_message_ids

ROOT = Path(__file__).resolve().parents[2] / "translations"
PUBLIC = public_message_ids(ROOT)
TERMS = ("Independent Reviewing Officer", "advocate", "family time", "pathway plan")
WITH_GLOSSARY = [code for code in TRANSLATED if (ROOT / code / "glossary.json").exists()]


def _translations(code: str) -> list[tuple[str, str]]:
    with (ROOT / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        text = " ".join(message.string) if isinstance(message.string, tuple) else message.string
        if english in PUBLIC and text:
            found.append((english, text))
    return found


def _uses(text: str, term: str) -> bool:
    """Every word of the term, by its stem (the ending may change with grammar)."""
    lowered = text.lower()
    for word in term.lower().split():
        if len(word) < 4:
            continue
        if word[: max(4, len(word) - 3)] not in lowered:
            return False
    return True


@pytest.mark.parametrize("code", TRANSLATED)
def test_iro_is_kept_as_iro_everywhere(code: str) -> None:
    lost = [e for e, t in _translations(code) if re.search(r"\bIRO\b", e) and "IRO" not in t]
    assert lost == []


@pytest.mark.parametrize("code", WITH_GLOSSARY)
def test_each_glossary_term_is_used_wherever_the_english_uses_it(code: str) -> None:
    glossary = json.loads((ROOT / code / "glossary.json").read_text(encoding="utf-8"))
    assert set(TERMS) <= set(glossary), f"{code}: the glossary lacks {set(TERMS) - set(glossary)}"
    for term in TERMS:  # each term is really used, so the check below checks something
        assert any(re.search(rf"\b{term}\b", e, re.IGNORECASE) for e in PUBLIC), term
    differs = [
        (term, english)
        for term in TERMS
        for english, text in _translations(code)
        if re.search(rf"\b{term}\b", english, re.IGNORECASE) and not _uses(text, glossary[term])
    ]
    assert differs == [], f"{code}: {differs[:3]}"
