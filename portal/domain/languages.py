"""Which languages the portal offers, and how a page picks one.

A language is offered to children and families only when every message their pages use
(translations/public.pot) is translated and compiled: a half-translated page would leave
a child reading English they may not read. Staff pages may stay in English in a
language (the issue's rule); staff may choose only a language whose whole catalogue is
translated, so no staff page is ever half in one language and half in another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

DEFAULT_LOCALE = "en_GB"
# The catalogues this project keeps, in the order people see them in the picker. This is
# the one list: the Makefile's extract and the catalogue checks read it from here.
# Babel's codes: Dari is fa_AF, Kurdish Sorani ckb (stack notes).
TRANSLATED = (
    "ar",
    "ti",
    "ps",
    "fa_AF",
    "fa",
    "ckb",
    "am",
    "so",
    "ur",
    "vi",
    "sq",
    "uk",
    "pl",
    "ro",
    "cy",
)
# Languages a child's or parent's record may name (for letters and interpreters), whether
# or not the portal is translated into them yet.
KNOWN_LOCALES = ("en_GB", *TRANSLATED)
PUBLIC_TEMPLATE = "public.pot"

# The digits a locale writes numbers in, where it is not 0-9 (CLDR's default numbering
# system: Persian digits for Dari, Farsi and Pashto, Arabic-Indic for Sorani).
_DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}


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


def native_digits(code: str, text: str) -> str:
    """``text`` with 0-9 written in the locale's own digits, where it has its own."""
    system = Locale.parse(code).default_numbering_system
    digits = _DIGITS.get(system)
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


def _translated(message_id: object, string: object, fuzzy: bool) -> bool:
    if not message_id:
        return True
    if fuzzy or not string:
        return False
    return not isinstance(string, tuple) or all(string)


def catalogue_is_complete(po_path: Path, required: frozenset[str] | None = None) -> bool:
    """Every message translated (or, given ``required``, every one of those), with no
    fuzzy guesses, and compiled."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return False
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    return all(
        _translated(message.id, message.string, message.fuzzy)
        for message in catalogue
        if message.id and (required is None or _first(message.id) in required)
    )


def _first(message_id: object) -> str:
    return message_id if isinstance(message_id, str) else str(message_id[0])  # type: ignore[index]


def public_message_ids(translations_dir: Path) -> frozenset[str]:
    """The messages children's and families' pages use (make extract writes the list)."""
    path = translations_dir / PUBLIC_TEMPLATE
    if not path.exists():
        return frozenset()
    with path.open("rb") as handle:
        return frozenset(_first(m.id) for m in read_po(handle) if m.id)


def offered_languages(translations_dir: Path) -> dict[str, Language]:
    """Languages children and families may read: every public message translated."""
    public = public_message_ids(translations_dir)
    offered = {DEFAULT_LOCALE: describe(DEFAULT_LOCALE)}
    for code in TRANSLATED:
        po_path = translations_dir / code / "LC_MESSAGES" / "messages.po"
        if po_path.exists() and catalogue_is_complete(po_path, public or None):
            offered[code] = describe(code)
    return offered


def staff_languages(translations_dir: Path, offered: dict[str, Language]) -> dict[str, Language]:
    """Of the languages offered, those whose every message is translated."""
    return {
        code: item
        for code, item in offered.items()
        if code == DEFAULT_LOCALE
        or catalogue_is_complete(translations_dir / code / "LC_MESSAGES" / "messages.po")
    }


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


READINESS_FILE = "languages.json"


@dataclass(frozen=True)
class Readiness:
    """Which languages are ready for families' pages and which for staff pages."""

    families: tuple[str, ...]
    staff: tuple[str, ...]


def measure_readiness(translations_dir: Path) -> Readiness:
    offered = offered_languages(translations_dir)
    return Readiness(
        families=tuple(offered), staff=tuple(staff_languages(translations_dir, offered))
    )


def readiness(translations_dir: Path) -> Readiness:
    """As `make translations` wrote it, when that is newer than every catalogue; else
    measured now. Reading sixteen catalogues costs about a second of every worker's
    start, so the build does it once."""
    path = translations_dir / READINESS_FILE
    sources = [
        *translations_dir.glob("*/LC_MESSAGES/messages.*"),
        translations_dir / PUBLIC_TEMPLATE,
    ]
    newest = max((p.stat().st_mtime for p in sources if p.exists()), default=0.0)
    if path.exists() and path.stat().st_mtime >= newest:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Readiness(tuple(data["families"]), tuple(data["staff"]))
    return measure_readiness(translations_dir)


def write_readiness(translations_dir: Path) -> Readiness:
    found = measure_readiness(translations_dir)
    data = {"families": list(found.families), "staff": list(found.staff)}
    (translations_dir / READINESS_FILE).write_text(json.dumps(data, indent=2) + "\n")
    return found
