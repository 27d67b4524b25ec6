"""A translation pack: one language's messages as a spreadsheet a translator can work in
without any tools, and reading it back with every placeholder and mark checked.

The pack is CSV (UTF-8 with a byte-order mark, so Excel and LibreOffice open it in the
right script). One row per message, or per plural form: a stable key, the English, the
current translation, who reads it, where it appears, and the placeholders it must keep.
A row near the top takes the translator's name: filled in, it says every message was
checked; empty, the language stays a draft. Nothing is read back if any row is wrong:
the translator is told the row and what went wrong.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

COLUMNS = (
    "key",
    "form",
    "English",
    "Translation",
    "Who reads it",
    "Where it appears",
    "Keep exactly",
)
CHECKED_BY_KEY = "checked-by"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")
# Editor marks and the few symbols a message's meaning depends on.
MARKS = ("**", "##", "](", "<", ">")


def key_of(message_id: str | Sequence[str]) -> str:
    english = message_id if isinstance(message_id, str) else message_id[0]
    return hashlib.sha256(english.encode()).hexdigest()[:10]


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def marks(text: str) -> Counter[str]:
    return Counter({mark: text.count(mark) for mark in MARKS if text.count(mark)})


def text_version(public_ids: Iterable[str]) -> str:
    """A short fingerprint of the English the public pages use: a check applies to it."""
    digest = hashlib.sha256("\n".join(sorted(public_ids)).encode())
    return digest.hexdigest()[:12]


def _forms(language: str) -> list[str]:
    count = get_plural(language).num_plurals
    return [f"plural form {index + 1} of {count}" for index in range(count)]


def write_pack(
    catalog: Catalog,
    *,
    language: str,
    public: Mapping[str, Sequence[str]],
) -> str:
    """The pack as CSV text. ``public`` maps each message families read to the files it
    appears in; the rest are for staff."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            CHECKED_BY_KEY,
            "",
            "Your name, if you have checked every message (leave empty for a draft)",
            "",
            "",
            "",
            "",
        ]
    )
    messages = sorted(
        (m for m in catalog if m.id),
        key=lambda m: (key_of(m.id) not in {key_of(p) for p in public}, str(m.id)),
    )
    public_keys = {key_of(p): where for p, where in public.items()}
    for message in messages:
        key = key_of(message.id)
        who = "children and families" if key in public_keys else "staff"
        where = ", ".join(public_keys.get(key, ()))
        if isinstance(message.id, str):
            keep = " ".join(sorted(placeholders(message.id)))
            writer.writerow([key, "", message.id, message.string or "", who, where, keep])
            continue
        singular, plural = message.id[0], message.id[1]
        strings = list(message.string) if isinstance(message.string, tuple) else []
        for index, form in enumerate(_forms(language)):
            english = singular if index == 0 else plural
            current = strings[index] if index < len(strings) else ""
            keep = " ".join(sorted(placeholders(plural)))
            writer.writerow([key, form, english, current, who, where, keep])
    return "\ufeff" + out.getvalue()


@dataclass
class PackReading:
    """What a pack says: translations by key (plural forms in order), the checker's
    name, and every problem found, each naming its row."""

    translations: dict[str, list[str]] = field(default_factory=dict)
    checked_by: str = ""
    problems: list[str] = field(default_factory=list)


def read_pack(text: str, catalog: Catalog, *, language: str) -> PackReading:
    """Read a pack back against the catalogue it came from. Rows are counted as a
    spreadsheet numbers them (the header is row 1)."""
    reading = PackReading()
    by_key: dict[str, Message] = {key_of(m.id): m for m in catalog if m.id}
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or [c.strip() for c in rows[0][: len(COLUMNS)]] != list(COLUMNS):
        reading.problems.append("Row 1: the first row must be the column names, unchanged.")
        return reading
    forms = _forms(language)
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, *[""] * len(COLUMNS)][: len(COLUMNS)]
        key, form, _english, translation = (c.strip() for c in cells[:4])
        if key == CHECKED_BY_KEY:
            reading.checked_by = translation
            continue
        message = by_key.get(key)
        if message is None:
            reading.problems.append(f"Row {number}: the key {key!r} is not a message.")
            continue
        if not translation:
            continue  # left for later: the message stays as it was
        english = (
            message.id
            if isinstance(message.id, str)
            else (message.id[0] if form == forms[0] else message.id[1])
        )
        wanted, got = placeholders(english), placeholders(translation)
        if isinstance(message.id, tuple):
            # Some languages leave the number out of the singular ("one letter").
            wanted = placeholders(message.id[1]) if form != forms[0] else wanted
            if form == forms[0]:
                got = got | Counter({p: c for p, c in wanted.items() if p not in got})
        if wanted != got:
            missing = sorted((wanted - got).elements())
            extra = sorted((got - wanted).elements())
            said = []
            if missing:
                said.append(f"it must keep {', '.join(missing)}")
            if extra:
                said.append(f"it has {', '.join(extra)}, which the English does not")
            reading.problems.append(f"Row {number}: {' and '.join(said)}.")
            continue
        if marks(english) != marks(translation):
            reading.problems.append(
                f"Row {number}: keep the marks exactly as in the English "
                f"({' '.join(sorted(marks(english))) or 'none'})."
            )
            continue
        strings = reading.translations.setdefault(key, [])
        if isinstance(message.id, tuple):
            index = forms.index(form) if form in forms else -1
            if index < 0:
                reading.problems.append(f"Row {number}: the form {form!r} is not one of {forms}.")
                continue
            strings.extend([""] * (index + 1 - len(strings)))
            strings[index] = translation
        else:
            strings[:] = [translation]
    return reading


def apply(reading: PackReading, catalog: Catalog) -> int:
    """Put the pack's translations into the catalogue; returns how many messages changed.
    A pack with any problem is never applied, not even its good rows."""
    if reading.problems:
        raise ValueError("a pack with problems is not read back")
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        strings = reading.translations.get(key_of(message.id))
        if not strings:
            continue
        if isinstance(message.id, str):
            new: str | tuple[str, ...] = strings[0]
        else:
            current = list(message.string) if isinstance(message.string, tuple) else []
            merged = [s or (current[i] if i < len(current) else "") for i, s in enumerate(strings)]
            merged += current[len(merged) :]
            new = tuple(merged)
        if new != message.string or message.fuzzy:
            message.string = new
            message.flags.discard("fuzzy")
            changed += 1
    return changed
