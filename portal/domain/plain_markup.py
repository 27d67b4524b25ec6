"""The editor's format: plain text with a few marks, so writing a plan or letter needs
no JavaScript and no HTML.

    ## A heading            ### A smaller heading
    - an item in a list     1. an item in a numbered list
    **bold words**          [words to click](https://example.org)
    A blank line starts a new paragraph; a web or email address becomes a link.

Text that is already HTML (pasted from Word or another system) is taken as HTML. Either
way the result goes through portal.domain.rich_text.clean_html, the one allow-list:
nothing typed or pasted reaches a page except headings, paragraphs, lists, bold and
safe links. ``to_markup`` turns cleaned HTML back into these marks for editing.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

from portal.domain.rich_text import clean_html

# A pasted document: it starts with a tag the allow-list knows or Word's own markup.
_LOOKS_LIKE_HTML = re.compile(
    r"<\s*(?:p|div|h[1-6]|ul|ol|li|br|span|b|strong|i|em|a|table|html|body|o:p)\b",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BARE = re.compile(r"(?<![\w\"'=/])((?:https?://|mailto:)[^\s<>\"')\]]+|[\w.+-]+@[\w-]+\.[\w.-]+)")


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def to_html(text: str) -> str:
    """The HTML a piece of writing shows as, already cleaned."""
    if looks_like_html(text):
        return clean_html(text)
    return clean_html(_marks_to_html(text))


def _inline(line: str) -> str:
    # Escape first, so anything that looks like a tag is shown as text, then add the
    # few marks back as the only tags there are.
    out = escape(line, quote=True)
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(f'<a href="{match.group(2)}">{match.group(1)}</a>')
        return f"\x00{len(links) - 1}\x00"

    out = _LINK.sub(keep_link, out)
    out = _BARE.sub(_bare_link, out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], out)


def _bare_link(match: re.Match[str]) -> str:
    address = match.group(1)
    href = address if ":" in address.split("@")[0] or "://" in address else f"mailto:{address}"
    return f'<a href="{href}">{address}</a>'


def _marks_to_html(text: str) -> str:
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def end_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def end_list() -> None:
        nonlocal list_tag
        if items:
            blocks.append(f"<{list_tag}>" + "".join(items) + f"</{list_tag}>")
            items.clear()
        list_tag = ""

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if not line:
            end_paragraph()
            end_list()
        elif heading:
            end_paragraph()
            end_list()
            # One # or two is a heading; three a smaller one (the page's title is h1).
            tag = "h3" if len(heading.group(1)) == 3 else "h2"
            blocks.append(f"<{tag}>{_inline(heading.group(2))}</{tag}>")
        elif bullet or numbered:
            end_paragraph()
            wanted = "ul" if bullet else "ol"
            if list_tag and list_tag != wanted:
                end_list()
            list_tag = wanted
            found = bullet or numbered
            assert found is not None
            items.append(f"<li>{_inline(found.group(1))}</li>")
        else:
            end_list()
            paragraph.append(_inline(line))
    end_paragraph()
    end_list()
    return "".join(blocks)


class _Marks(HTMLParser):
    """Cleaned HTML back to the editor's marks (only the allow-list's tags occur)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current = ""
        self.href: str | None = None
        self.link_text = ""
        self.list_kind: list[str] = []
        self.counter: list[int] = []

    def _flush(self, blank_after: bool = True) -> None:
        if self.current.strip():
            self.lines.append(self.current.strip())
        self.current = ""
        if blank_after and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3", "p"):
            self._flush()
            self.current = {"h2": "## ", "h3": "### ", "p": ""}[tag]
        elif tag in ("ul", "ol"):
            self._flush()
            self.list_kind.append(tag)
            self.counter.append(0)
        elif tag == "li":
            self._flush(blank_after=False)
            if self.list_kind and self.list_kind[-1] == "ol":
                self.counter[-1] += 1
                self.current = f"{self.counter[-1]}. "
            else:
                self.current = "- "
        elif tag == "br":
            self._flush(blank_after=False)
        elif tag == "strong":
            self._text("**")
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_text = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3", "p"):
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            if self.list_kind:
                self.list_kind.pop()
                self.counter.pop()
        elif tag == "strong":
            self._text("**")
        elif tag == "a" and self.href is not None:
            text, href = self.link_text, self.href
            self.href = None
            if not href or text == href or f"mailto:{text}" == href:
                self._text(text)
            else:
                self._text(f"[{text}]({href})")

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        if self.href is not None:
            self.link_text += text
        else:
            self._text(text)

    def _text(self, text: str) -> None:
        self.current += text


def to_markup(html: str) -> str:
    """Cleaned HTML as the editor's marks, to edit again."""
    parser = _Marks()
    parser.feed(clean_html(html))
    parser.close()
    parser._flush()
    return "\n".join(parser.lines).strip() + "\n" if parser.lines else ""
