"""Checks every HTML page the test client renders, so no page escapes them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import html5lib
from babel.messages.pofile import read_po

POT = Path(__file__).resolve().parent.parent / "translations" / "messages.pot"
RTL = {"ar", "ps", "fa", "fa-AF", "ckb", "ur"}
NS = "{http://www.w3.org/1999/xhtml}"


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

    if not lang.startswith("en"):
        text = " ".join(" ".join(_text_outside_english(document.find(f"{NS}body"), lang)).split())
        left = [s for s in english_sentences() if s in text]
        if left:
            raise PageAuditError(f"English left on a {lang} page: {left[:3]}")
