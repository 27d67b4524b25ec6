"""Checks every HTML page the test client renders, so no page escapes them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import html5lib
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "translations" / "messages.pot"
STYLESHEET = ROOT / "static" / "css" / "portal.css"
RTL = {"ar", "ps", "fa", "fa-AF", "ckb", "ur"}
NS = "{http://www.w3.org/1999/xhtml}"

# A UK phone number as people write it: 0 or +44 (perhaps "(0)"), then 7 to 10 more
# digits, perhaps grouped by spaces or hyphens: 0800 1111, 01632 960 111, +44 7700 900123.
PHONE_NUMBER = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[ -]?\d){6,9}(?!\w)")
TEL_HREF = re.compile(r"tel:\+?\d{3,15}")
# The rule that keeps every phone link on one line, in portal.css or a page's own styles.
TEL_NOWRAP = re.compile(r'a\[href\^="tel:"\][^{]*\{[^}]*white-space:\s*nowrap')
# Text shown as it was written or typed, never as a link: a person's answers, form fields,
# and the examples and errors that describe what to type.
AS_WRITTEN = {"answer-text", "hint", "error-message", "error-summary"}


class PageAuditError(AssertionError):
    pass


@cache
def english_sentences() -> frozenset[str]:
    with POT.open("rb") as handle:
        catalogue = read_po(handle)
    found = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            if text and "%" not in text and len(text.split()) >= 3:
                found.add(text)
    return frozenset(found)


@cache
def questionnaire_english() -> frozenset[str]:
    """Every step title and question of every form version, as IROs read them: in English."""
    from portal.questionnaires.declarations.registry import ALL_FORMS

    found = set()
    for form in ALL_FORMS.values():
        for step in form.steps:
            found.add(" ".join(step.title.split()))
            found.update(" ".join(question.label.split()) for question in step.questions)
    return frozenset(found)


def _tag(element) -> str:  # type: ignore[no-untyped-def]
    return str(element.tag).replace(NS, "")


def _as_written(element) -> bool:  # type: ignore[no-untyped-def]
    classes = set((element.get("class") or "").split())
    return bool(classes & AS_WRITTEN) or _tag(element) in ("script", "style", "textarea")


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join("".join(element.itertext()).split())


def _check_phone_numbers(document) -> None:  # type: ignore[no-untyped-def]
    """Every phone number is a tel: link (digits only in the href) with its digits in a
    left-to-right element, and the page's styles keep tel: links on one line."""
    links = [a for a in document.iter(f"{NS}a") if (a.get("href") or "").startswith("tel:")]
    for link in links:
        href = link.get("href") or ""
        if not TEL_HREF.fullmatch(href):
            raise PageAuditError(f"a phone link must be tel: and digits only, not {href!r}")
        shown = _text(link)
        if not any(
            sub.get("dir") == "ltr" and _text(sub) == shown
            for sub in link.iter()
            if isinstance(sub.tag, str)
        ):
            raise PageAuditError(f"the phone number {shown!r} needs dir=ltr (in a <bdi>)")
    if links:
        styles = " ".join(_text(style) for style in document.iter(f"{NS}style"))
        for sheet in document.iter(f"{NS}link"):
            if "portal.css" in (sheet.get("href") or ""):
                styles += STYLESHEET.read_text()
        if not TEL_NOWRAP.search(styles):
            raise PageAuditError('phone links can break across lines: no a[href^="tel:"] nowrap')

    linked = {id(link) for link in links}

    def outside_links(element) -> list[str]:  # type: ignore[no-untyped-def]
        if _as_written(element) or id(element) in linked:
            return [element.tail or ""]
        parts = [element.text or ""]
        for sub in element:
            if isinstance(sub.tag, str):
                parts.extend(outside_links(sub))
            else:
                parts.append(sub.tail or "")
        parts.append(element.tail or "")
        return parts

    body = document.find(f"{NS}body")
    loose = PHONE_NUMBER.findall(" ".join(outside_links(body)))
    if loose:
        raise PageAuditError(f"phone numbers that are not tel: links: {loose[:3]}")


def _check_language_of_parts(document, lang: str, direction: str) -> None:  # type: ignore[no-untyped-def]
    """On a page not in English, the forms' English headings and questions are marked
    lang="en" (WCAG 3.1.2), and dir="ltr" on a right-to-left page so that they line up as
    English does."""
    english = questionnaire_english()

    def walk(element, inherited_lang: str, inherited_dir: str) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(element.tag, str) or _as_written(element):
            return
        here_lang = element.get("lang", inherited_lang)
        here_dir = element.get("dir", inherited_dir)
        if _text(element) in english:
            if not here_lang.startswith("en"):
                raise PageAuditError(f"English {_text(element)!r} is not marked lang=en")
            if direction == "rtl" and here_dir != "ltr":
                raise PageAuditError(f"English {_text(element)!r} is not marked dir=ltr")
        for sub in element:
            walk(sub, here_lang, here_dir)

    walk(document.find(f"{NS}body"), lang, direction)


def _text_outside_english(element, inherited_lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    lang = element.get("lang", inherited_lang)
    tag = element.tag.replace(NS, "")
    if tag in ("script", "style") or lang.startswith("en"):
        return [element.tail or ""]
    parts = [element.text or ""]
    for sub in element:
        parts.extend(_text_outside_english(sub, lang))
    parts.append(element.tail or "")
    return parts


def audit_html(body: str, *, expected_lang: str | None = None) -> None:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    document = parser.parse(body)
    if parser.errors:
        raise PageAuditError(f"HTML does not parse cleanly: {parser.errors[:3]}")
    html = document
    lang = html.get("lang")
    direction = html.get("dir")
    if not lang or direction not in ("ltr", "rtl"):
        raise PageAuditError("<html> must have lang and dir")
    if (lang in RTL) != (direction == "rtl"):
        raise PageAuditError(f"dir={direction} does not suit lang={lang}")
    if expected_lang and lang != expected_lang:
        raise PageAuditError(f"expected lang={expected_lang}, page says {lang}")

    headings = document.findall(f".//{NS}h1")
    if len(headings) != 1:
        raise PageAuditError(f"a page needs exactly one <h1>, found {len(headings)}")
    h1 = " ".join("".join(headings[0].itertext()).split())
    title_el = document.find(f".//{NS}title")
    title = " ".join("".join(title_el.itertext()).split()) if title_el is not None else ""
    after_prefix = title.split(": ", 1)[1] if ": " in title else ""
    if not (title.startswith(h1) or after_prefix.startswith(h1)):
        raise PageAuditError(f"<title> {title!r} should start with the <h1> {h1!r}")

    ids = [el.get("id") for el in document.iter() if el.get("id")]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise PageAuditError(f"duplicate ids: {sorted(duplicates)}")
    for form in document.iter(f"{NS}form"):
        if not form.get("action"):
            raise PageAuditError("every form needs an action")
        if (form.get("method") or "get").lower() == "post":
            has_token = any(i.get("name") == "csrf_token" for i in form.iter(f"{NS}input"))
            if not has_token:
                raise PageAuditError(f"POST form to {form.get('action')} has no CSRF token")

    _check_phone_numbers(document)
    if not lang.startswith("en"):
        _check_language_of_parts(document, lang, direction)
        text = " ".join(" ".join(_text_outside_english(document.find(f"{NS}body"), lang)).split())
        left = [s for s in english_sentences() if s in text]
        if left:
            raise PageAuditError(f"English left on a {lang} page: {left[:3]}")
