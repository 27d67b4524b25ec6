"""Staff-written rich text (a plan summary, a letter to the child), cleaned to a small allow-list.

What staff type or paste into the editor is untrusted HTML: a paste from Word, a web page or an
e-mail brings styles, scripts, tracking images and links of every kind. Only the structure a
letter needs survives: headings, paragraphs, line breaks, lists, strong and emphasised words and
links to web pages, e-mail addresses and phone numbers. Every other tag is removed but its text
kept, except the tags whose content is code or hidden markup (script, style, Word's XML...),
which go with their content.

The sanitising is nh3 (bindings to the Rust ``ammonia`` sanitiser, which parses HTML as a
browser does). What this module does before nh3 cannot make the result unsafe, because nh3 still
judges whatever it is given; what it does after nh3 only removes characters or empty elements,
or renames a tag nh3 has already stripped of every attribute.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from typing import Final

import nh3

ALLOWED_TAGS: Final = frozenset({"h2", "h3", "p", "br", "ul", "ol", "li", "strong", "em", "a"})
ALLOWED_ATTRIBUTES: Final = {"a": frozenset({"href"})}
ALLOWED_URL_SCHEMES: Final = frozenset({"http", "https", "mailto", "tel"})
LINK_REL: Final = "noopener noreferrer"

# A letter is a few pages; a plan summary a few more. 200,000 characters of cleaned HTML is
# about 60 printed pages, far beyond either, yet small enough to store, render and measure for
# readability on every save. Longer documents are refused with a message, never cut short:
# a letter silently missing its end is worse than one that cannot be saved yet.
MAX_DOCUMENT_CHARS: Final = 200_000

# Tags outside the allow-list whose meaning has a near equivalent inside it. Word and Outlook
# mark bold and italic as <b> and <i>; e-mail and web pages make every line a <div>; Google
# Docs starts with an <h1>. Dropping those tags as nh3 drops any other would join the words
# either side ("Dear Sam,I met you"), so nh3 is told to keep them, with no attributes at all,
# and they are renamed in its output. That output is a serialisation in which "<" only ever
# opens a tag (nh3 escapes it in text and in attribute values alike), so an exact "<div>" or
# "</div>" there can only be that attribute-less tag: the renaming cannot reach into text or a
# link. Blocks nested in a paragraph this way are sorted out by the next pass (see _MAX_PASSES).
_BLOCKS_AS_PARAGRAPHS: Final = frozenset(
    {
        "div",
        "blockquote",
        "pre",
        "address",
        "article",
        "aside",
        "center",
        "details",
        "summary",
        "fieldset",
        "legend",
        "figure",
        "figcaption",
        "footer",
        "header",
        "main",
        "nav",
        "section",
        "dl",
        "dt",
        "dd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
    }
)
_RENAMED_TAGS: Final = {
    "b": "strong",
    "i": "em",
    "h1": "h2",
    "h4": "h3",
    "h5": "h3",
    "h6": "h3",
    **dict.fromkeys(_BLOCKS_AS_PARAGRAPHS, "p"),
}
_RENAMED = re.compile(r"<(/?)(" + "|".join(sorted(_RENAMED_TAGS)) + r")>")

# Removed with everything inside them: their content is code, hidden data or a fallback that
# would otherwise appear as stray text (Word's <xml> block of document settings, an SVG's
# <title>, the text of an <iframe> or <noscript>). <plaintext> swallows the rest of the
# document; nobody writes it in a letter.
_DROPPED_WITH_CONTENT: Final = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "title",
        "xml",
        "xmp",
        "noembed",
        "noframes",
        "plaintext",
        "textarea",
        "select",
        "head",
    }
)

_CLEANER: Final = nh3.Cleaner(
    tags=set(ALLOWED_TAGS | _RENAMED_TAGS.keys()),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    # An explicit empty "*": without it ammonia keeps its default lang and title on every tag.
    attributes={"*": set(), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    # A letter is read in an e-mail, a download or on paper, where a link relative to the
    # portal means nothing; and "//host" (no scheme) would escape the scheme allow-list.
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)

# C0 controls (NUL included), DEL and C1 controls; tab and newline stay. PostgreSQL rejects NUL
# in text and none of the others comes from a keyboard: a C1 control is usually Windows-1252
# text decoded as Latin-1. Carriage returns are turned into newlines first.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Left-to-right and right-to-left OVERRIDES force every following character into one direction,
# whatever its own, so an unbalanced one can show "exe.txt" as "txt.exe" or reverse a name or a
# date; nothing in a letter needs them. The embeddings (U+202A, U+202B, U+202C) and the isolates
# (U+2066-U+2069) only set the direction of a run of mixed Arabic/English text and never reverse
# letters against their own direction, so they are kept: a Dari name in an English sentence
# needs them to display in the right order.
_BIDI_OVERRIDES = re.compile("[\u202d\u202e]")

# Word's list bullets are typed-out characters ("·", "o", "§" in a Symbol font) fenced by
# downlevel-revealed conditionals; a browser shows them, so would this paste, as junk text.
_WORD_LIST_BULLET_START = re.compile(r"<!(?:--)?\[if !supportLists\](?:--)?>", re.IGNORECASE)
_WORD_LIST_BULLET_END = re.compile(r"<!(?:--)?\[endif\](?:--)?>", re.IGNORECASE)

# Word writes a blank line as a paragraph holding a non-breaking space (often inside <o:p>),
# editors as <p><br></p>; cleaning leaves empty headings and links behind. An empty heading or
# link is also an accessibility failure (a screen reader announces "heading" or "link" and
# nothing else). Inline elements go only when they hold nothing at all: " " between two words
# is a space the reader needs.
_EMPTY_ELEMENT = re.compile(
    r"<(p|h2|h3|li|ul|ol)>(?:\s|&nbsp;|<br>)*</\1>|<(strong|em)></\2>|<a(?: [^>]*)?></a>"
)

# The HTML parser under nh3 takes time that grows with the square of how deeply tags are nested
# (every new <div> or <ul> searches the open ones): 10,000 nested <div>s take 0.2 s, 40,000
# take 3 s, and the 250,000 that fit in a 1 MB paste would hold a worker for minutes. No letter
# comes near this: Chromium's parser stops nesting at 512. Deeper than that, the markup is
# dropped before nh3 parses it and the words kept (nh3 still cleans what is left).
MAX_NESTING: Final = 512
_TAG_OPENING_OR_CLOSING = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_ANY_TAG = re.compile(r"<[^>]*>")
# Tags that cannot hold others (void) or that close themselves when the next one starts, so a
# run of them does not nest; counting every other start tag as one level deeper and every end
# tag as one level up overestimates the depth, never underestimates it.
_NOT_NESTING: Final = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
        *("param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th"),
        *("option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp"),
    }
)

# Re-parsing a serialised tree can give a different tree (a list that had been inside a
# paragraph through a table, say), so cleaning repeats until the output is stable; two passes
# are normal, and every pass ends in nh3's own output, so even the cap returns clean HTML.
_MAX_PASSES: Final = 4


def clean_html(text: str) -> str:
    """The staff-written HTML as it may be stored and shown: safe, small, and stable.

    Cleaning is idempotent: ``clean_html(clean_html(x)) == clean_html(x)``.
    """
    current = text
    for _ in range(_MAX_PASSES):
        cleaned = _clean_once(current)
        if cleaned == current:
            break
        current = cleaned
    return current


def is_too_long(text: str) -> bool:
    """Whether the document, once cleaned, is longer than MAX_DOCUMENT_CHARS.

    Raw or already-cleaned text gives the same answer, because cleaning is idempotent. The
    measure is the cleaned HTML, as it will be stored, not what was pasted: a Word paste is
    mostly styling that cleaning removes.
    """
    return len(clean_html(text)) > MAX_DOCUMENT_CHARS


def plain_text(html: str) -> str:
    """The words of the document, for readability checks.

    Each heading, paragraph, list item and line break starts a new line, so a heading or a
    bullet point without a full stop is not run into the next sentence. Runs of spaces are
    collapsed and blank lines dropped, as a browser would show them.
    """
    reader = _TextReader()
    reader.feed(clean_html(html))
    reader.close()
    lines = ("".join(reader.pieces)).split("\n")
    collapsed = (" ".join(line.split()) for line in lines)
    return "\n".join(line for line in collapsed if line)


def _clean_once(text: str) -> str:
    text = _without_word_list_bullets(_without_unsafe_characters(text))
    if _nests_deeper_than(text, MAX_NESTING):
        text = _ANY_TAG.sub(" ", text)
    cleaned = _without_unsafe_characters(_CLEANER.clean(text))
    cleaned = _RENAMED.sub(lambda tag: f"<{tag[1]}{_RENAMED_TAGS[tag[2]]}>", cleaned)
    return _without_empty_elements(cleaned).strip(" \t\n\f")


def _without_empty_elements(html: str) -> str:
    # Again until none is left: a list whose only item was empty is empty in its turn.
    removed = 1
    while removed:
        html, removed = _EMPTY_ELEMENT.subn("", html)
    return html


def _without_unsafe_characters(text: str) -> str:
    # Needed on both sides of nh3: before, for the raw characters; after, for the same
    # characters written as references ("&#x202e;", "&#1;"), which nh3 decodes.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BIDI_OVERRIDES.sub("", _CONTROLS.sub("", text))


def _nests_deeper_than(text: str, limit: int) -> bool:
    # An end tag only closes a tag of its own name that is open: a run of "<b></i>" nests as
    # deeply in the parser as "<b><b>", so it must count as deep here too.
    open_tags: Counter[str] = Counter()
    depth = 0
    for tag in _TAG_OPENING_OR_CLOSING.finditer(text):
        name = tag[2].lower()
        if name in _NOT_NESTING:
            continue
        if not tag[1]:
            open_tags[name] += 1
            depth += 1
            if depth > limit:
                return True
        elif open_tags[name]:
            open_tags[name] -= 1
            depth -= 1
    return False


def _without_word_list_bullets(text: str) -> str:
    # A scan rather than one lazy ".*?" pattern, which would rescan to the end of a 1 MB paste
    # for every opening marker that has no closing one.
    kept: list[str] = []
    position = 0
    while (start := _WORD_LIST_BULLET_START.search(text, position)) is not None:
        end = _WORD_LIST_BULLET_END.search(text, start.end())
        if end is None:
            break
        kept.append(text[position : start.start()])
        position = end.end()
    kept.append(text[position:])
    return "".join(kept)


_LINE_BREAKING_TAGS: Final = frozenset({"h2", "h3", "p", "br", "ul", "ol", "li"})


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LINE_BREAKING_TAGS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _LINE_BREAKING_TAGS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        # A non-breaking space is a space to a reader (Word pastes are full of them); a tab or
        # a newline inside a paragraph is only white space in HTML.
        self.pieces.append(re.sub(r"[\s\xa0]+", " ", data))
