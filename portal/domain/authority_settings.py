"""A local authority's settings: which languages it offers, and what an edit changed.

Plain Python, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

EMAIL_SENDERS = ("none", "smtp", "notify")
SMS_SENDERS = ("none", "notify")


def enabled_language_codes(stored: str) -> list[str]:
    """The codes in ``LocalAuthority.enabled_languages`` (space-separated)."""
    return list(dict.fromkeys(stored.split()))


def enabled_languages_value(
    chosen: Iterable[str], *, order: Sequence[str], always: str, keep: Iterable[str] = ()
) -> str:
    """What to store: ``always`` first, then the chosen and kept codes in ``order``.

    ``keep`` holds codes enabled before that the form could not show (a language
    whose translation is not complete yet): an edit elsewhere must not drop them.
    Codes not in ``order`` are ignored.
    """
    wanted = {always, *chosen, *keep}
    codes = [always] + [code for code in dict.fromkeys(order) if code in wanted and code != always]
    return " ".join(codes)


def changed_fields(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """The names of the fields whose values differ, in ``after``'s order (never the values)."""
    return [name for name, value in after.items() if before.get(name) != value]
