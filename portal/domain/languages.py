"""Which languages the portal offers, and how a page picks one.

A language is offered only when its catalogue is complete and compiled:
a half-translated page would leave a child reading English they may not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

DEFAULT_LOCALE = "en_GB"
# The catalogues this project keeps, in the order people see them in the picker. This is
# the one list: the Makefile's extract and the catalogue checks read it from here.
TRANSLATED = ("ar", "ti")
# Languages a child's or parent's record may name (for letters and interpreters), whether
# or not the portal is translated into them yet.
KNOWN_LOCALES = ("en_GB", "ar", "ti", "ps", "fa_AF", "fa", "ckb", "am", "vi", "sq", "ur", "cy")


@dataclass(frozen=True)
class Language:
    code: str  # Babel's, e.g. fa_AF
    native_name: str
    direction: str  # "ltr" or "rtl"

    @property
    def tag(self) -> str:
        """The BCP 47 tag for lang attributes: fa-AF, not fa_AF."""
        return self.code.replace("_", "-")


def describe(code: str) -> Language:
    locale = Locale.parse(code)
    name = locale.get_display_name(locale) or code
    if code == DEFAULT_LOCALE:
        name = locale.get_language_name(locale) or name  # "English", not "English (United Kingdom)"
    return Language(code, name, locale.text_direction)


def catalogue_is_complete(po_path: Path) -> bool:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return False
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    return all(
        message.string
        and not message.fuzzy
        and (not isinstance(message.string, tuple) or all(message.string))
        for message in catalogue
        if message.id
    )


def offered_languages(translations_dir: Path) -> dict[str, Language]:
    offered = {DEFAULT_LOCALE: describe(DEFAULT_LOCALE)}
    for code in TRANSLATED:
        po_path = translations_dir / code / "LC_MESSAGES" / "messages.po"
        if po_path.exists() and catalogue_is_complete(po_path):
            offered[code] = describe(code)
    return offered


def best_match(accepted: list[str], offered: dict[str, Language]) -> str | None:
    """Match browser languages to offered ones: exact first, then by language alone."""
    by_language = {code.split("_")[0]: code for code in reversed(list(offered))}
    for tag in accepted:
        code = tag.replace("-", "_")
        if code in offered:
            return code
        for candidate in offered:
            if candidate.lower() == code.lower():
                return candidate
        primary = code.split("_")[0].lower()
        if primary in by_language:
            return by_language[primary]
    return None
