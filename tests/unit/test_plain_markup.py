"""The editor's marks become the allow-list's HTML, and nothing typed or pasted can ever
reach a page with something that runs."""

from __future__ import annotations

import re

import html5lib
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.plain_markup import looks_like_html, to_html, to_markup
from portal.domain.rich_text import ALLOWED_TAGS

REL = 'rel="noopener noreferrer"'


def test_marks_become_headings_lists_bold_and_links() -> None:
    text = (
        "## Where you live\nYou live with **Pat**.\nSecond line.\n\n"
        "- one\n- two\n1. first\n2. second\n\n### Small\n"
        "Call [the team](tel:01632960000) or write to team@example.org or see https://example.org"
    )
    assert to_html(text) == (
        "<h2>Where you live</h2><p>You live with <strong>Pat</strong>.<br>Second line.</p>"
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"
        "<h3>Small</h3>"
        f'<p>Call <a href="tel:01632960000" {REL}>the team</a> or write to '
        f'<a href="mailto:team@example.org" {REL}>team@example.org</a> or see '
        f'<a href="https://example.org" {REL}>https://example.org</a></p>'
    )


def test_typed_tags_are_shown_as_text_and_pasted_html_is_cleaned() -> None:
    assert to_html("I <3 my <cat>") == "<p>I &lt;3 my &lt;cat&gt;</p>"
    assert looks_like_html("<p class=MsoNormal>Hi</p>")
    assert to_html("<p class=MsoNormal><b>Hi</b><o:p></o:p></p><script>x</script>") == (
        "<p><strong>Hi</strong></p>"
    )


def test_cleaned_html_goes_back_to_marks_for_editing() -> None:
    html = to_html("## Home\nYou live with **Pat**.\n\n- Sam\n- [Site](https://example.org)\n")
    marks = to_markup(html)
    assert marks == "## Home\n\nYou live with **Pat**.\n\n- Sam\n- [Site](https://example.org)\n"
    assert to_html(marks) == html


def test_bad_links_lose_their_address_not_their_words() -> None:
    for link in ("[x](javascript:alert(1))", "[x](data:text/html,hi)", "[x](vbscript:msgbox)"):
        html = to_html(link)
        assert _dangers(html) == [] and "href" not in html
        assert ">x</a>" in html or "x" in re.sub(r"<[^>]+>", "", html)


TAGS = st.sampled_from(
    ["p", "a", "script", "img", "svg", "iframe", "b", "div", "style", "h1", "li", "math", "object"]
)
ATTRIBUTES = st.sampled_from(["href", "src", "onerror", "onclick", "style", "OnLoad", "formaction"])
VALUES = st.sampled_from(
    [
        "javascript:alert(1)",
        " JaVa\tScRiPt:alert(1)",
        "jav&#x09;ascript:x",
        "&#106;avascript:x",
        "data:text/html,<b>",
        "vbscript:x",
        "https://example.org",
        "mailto:a@b.c",
        "alert(1)",
        'x" onerror="alert(1)',
    ]
)


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            parts.append(draw(st.text(max_size=20)))
        elif kind == 1:
            parts.append(f'<{draw(TAGS)} {draw(ATTRIBUTES)}="{draw(VALUES)}">')
        elif kind == 2:
            parts.append(f"</{draw(TAGS)}>")
        elif kind == 3:
            parts.append(f"[{draw(st.text(max_size=5))}]({draw(VALUES)})")
        else:
            parts.append(draw(st.sampled_from(["## ", "\n", "- ", "**", "\n\n", "1. "])))
    return "".join(parts)


def _dangers(html: str) -> list[str]:
    found = []
    for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
        tag = str(element.tag).lower()
        if tag not in ALLOWED_TAGS and tag not in ("html", "head", "body"):
            found.append(tag)
        for name, value in element.attrib.items():
            if name not in ("href", "rel"):
                found.append(f"{tag}[{name}]")
            scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower().split(":", 1)
            if (
                name == "href"
                and len(scheme) == 2
                and scheme[0]
                not in (
                    "http",
                    "https",
                    "mailto",
                    "tel",
                )
            ):
                found.append(f"href={value}")
    return found


@settings(max_examples=300, deadline=None)
@given(tag_soup())
def test_nothing_typed_or_pasted_ever_reaches_a_page_that_runs_it(text: str) -> None:
    html = to_html(text)
    assert _dangers(html) == []
    # And editing it again changes nothing dangerous either.
    assert _dangers(to_html(to_markup(html))) == []
