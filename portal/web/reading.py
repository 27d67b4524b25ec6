"""A published plan or letter as it is shown: cleaned again, with each heading given an
id so that a contents list can jump to it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from markupsafe import Markup

from portal.domain.rich_text import clean_html

# After cleaning, a heading is exactly "<h2>" or "<h3>": the allow-list keeps no attributes.
_HEADING = re.compile(r"<(h2|h3)>(.*?)</\1>", re.DOTALL)


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    level: int


def shown(html: str) -> tuple[Markup, list[Section]]:
    """The document's HTML, cleaned once more as it is shown, and its headings."""
    sections: list[Section] = []

    def number(match: re.Match[str]) -> str:
        anchor = f"section-{len(sections) + 1}"
        title = unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
        sections.append(Section(anchor, title, int(match.group(1)[1])))
        return f'<{match.group(1)} id="{anchor}">{match.group(2)}</{match.group(1)}>'

    # The only attribute added is an id made here from a counter; everything else
    # passed the allow-list a moment ago.
    return Markup(_HEADING.sub(number, clean_html(html))), sections  # noqa: S704
