"""Parts of every page's frame that are the same for everyone who sees the same values.

Drawn by Jinja they cost a noticeable share of each page (the language list alone is
16 items of four escaped attributes each, the footer's phone links five string
replacements each), yet they depend only on a few values that change rarely: so each
is worked out once per set of values and kept. The language list is kept per
language and set of languages offered, with the page's own address put in on each
request, so nothing one person sees can reach another's page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup, escape

from portal.domain.languages import Language

_NOT_DIALLED = re.compile(r"\(0\)|[\s\-()]")
# Stands for the page's own address in a kept language list: it cannot occur in an
# escaped attribute value, so it is replaced only where it was put.
_HERE = "\x00here\x00"


@lru_cache(maxsize=512)
def phone_link(number: str) -> Markup:
    """A phone number to tap: digits only in the link, the number as written shown, kept
    left to right inside a right-to-left sentence."""
    dialled = _NOT_DIALLED.sub("", number)
    return Markup('<a href="tel:{}"><bdi dir="ltr">{}</bdi></a>').format(dialled, number)


def language_items(
    current: str, offered: Mapping[str, Language], here: str, script_root: str = ""
) -> Markup:
    """The language list's items: the one being read marked as current, each other a
    link to it that comes back to ``here`` (the page's path and query)."""
    kept = _language_items(current, tuple(offered.values()), script_root)
    return Markup(kept.replace(_HERE, str(escape(quote(here, safe="/")))))  # noqa: S704 - escaped


@lru_cache(maxsize=256)
def _language_items(current: str, offered: tuple[Language, ...], script_root: str) -> str:
    items = []
    for item in offered:
        if item.code == current:
            items.append(
                Markup(
                    '<span class="languages__current" aria-current="true" lang="{}" dir="{}">'
                    "{}</span>"
                ).format(item.tag, item.direction, item.native_name)
            )
        else:
            items.append(
                Markup(
                    '<a href="{}/language/{}?next={}" lang="{}" hreflang="{}" dir="{}">{}</a>'
                ).format(
                    script_root,
                    item.code,
                    Markup(_HERE),  # noqa: S704 - a constant
                    item.tag,
                    item.tag,
                    item.direction,
                    item.native_name,
                )
            )
    return "".join(f"<li>{item}</li>" for item in items)
