"""A child's way through the portal, as a phone would go: shared by run.py and load_test.py.

Signing in with the personal link and a new PIN, and filling in a consultation page
from the form on it: every question answered, never with an answer that would raise
a safety alert (the seed script says which those are), each text answer different.
"""

from __future__ import annotations

import html
import re
from typing import Any

from common import BenchError, Browser, Reply, parse, path_of

STEP_PATH = re.compile(r"^/consultation/\d+/[\w-]+$")
CHECK_PATH = re.compile(r"^/consultation/(\d+)/check$")
SENT_PATH = re.compile(r"^/consultation/(\d+)/sent$")
AUDIENCE_SUFFIX = "__audience"
PIN = "4821"


def sign_in_with_link(browser: Browser, link: str, pin: str = PIN) -> tuple[str, Reply, Reply]:
    """Open the personal link, choose a PIN; the first page reached, and the PIN reply."""
    opened = browser.request("GET", link)
    if opened.status != 302:
        raise BenchError(f"GET {link[:6]}… gave {opened.status}, expected a redirect")
    secret_path, page = browser.follow(opened)
    if page.status != 200:
        raise BenchError(f"GET {secret_path} gave {page.status}")
    hidden = parse(page.body).hidden
    if "csrf_token" not in hidden:
        raise BenchError(f"no csrf_token on {secret_path}: has the sign-in form changed?")
    posted = browser.request(
        "POST",
        secret_path,
        {"secret": pin, "confirm": pin, "csrf_token": hidden["csrf_token"]},
    )
    if posted.status != 302:
        raise BenchError(f"choosing a PIN gave {posted.status}, expected a redirect")
    first_path, first = browser.follow(posted)
    if first.status != 200 or not STEP_PATH.match(first_path):
        raise BenchError(f"sign-in ended on {first_path} ({first.status}), not a step page")
    return first_path, first, posted


_FIELD = re.compile(rb"<(input|textarea)\b([^>]*)>", re.I)
_ATTRIBUTE = re.compile(rb'([a-zA-Z_:][-\w:.]*)\s*=\s*"([^"]*)"')


def form_fields(page: bytes) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """The page's fields (name, type, value) and its hidden ones, quickly.

    A load generator reads every page it is sent, so this is a regular expression,
    not an HTML parser: it takes a tenth of the time, and the portal's own markup is
    regular (attributes always in double quotes).
    """
    fields: list[tuple[str, str, str]] = []
    hidden: dict[str, str] = {}
    for tag, raw in _FIELD.findall(page):
        attributes = {k.decode().lower(): v.decode() for k, v in _ATTRIBUTE.findall(raw)}
        name = html.unescape(attributes.get("name", ""))
        if not name:
            continue
        kind = "textarea" if tag.lower() == b"textarea" else attributes.get("type", "text").lower()
        value = html.unescape(attributes.get("value", ""))
        fields.append((name, kind, value))
        if kind == "hidden":
            hidden.setdefault(name, value)
    return fields, hidden


def answers_for(
    page: bytes,
    questions: dict[str, dict[str, Any]],
    who: int,
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The form data to send for this page, and the answers in it by question key."""
    fields, hidden = form_fields(page)
    data: list[tuple[str, str]] = []
    answers: dict[str, str] = {}
    radios: dict[str, list[str]] = {}
    for name, kind, value in fields:
        if kind == "radio" or (kind == "checkbox" and name in questions):
            radios.setdefault(name, []).append(value)
        elif kind in ("text", "textarea") and name in questions:
            # Different for every child and question, in several scripts, with an emoji.
            text = f"Child {who}, {name}: I am fine with that ✓ 😊 مرحبا ሰላም"
            answers[name] = text
            data.append((name, text))
    for name, values in radios.items():
        if name.endswith(AUDIENCE_SUFFIX):
            data.append((name, values[0]))
            continue
        question = questions.get(name)
        if question is None:
            continue
        safe = [v for v in values if v not in set(question["safety"])]
        if safe:
            choice = safe[who % len(safe)]
            answers[name] = choice
            data.append((name, choice))
    for name in ("csrf_token", "questionnaire", "seen"):
        if name in hidden:
            data.append((name, hidden[name]))
    return data, answers


def submit_from_check(browser: Browser, check_path: str) -> tuple[Reply, Reply]:
    """Send the consultation from the check-your-answers page; the send reply and sent page."""
    page = browser.request("GET", check_path)
    if page.status != 200:
        raise BenchError(f"GET {check_path} gave {page.status}")
    _fields, hidden = form_fields(page.body)
    match = CHECK_PATH.match(check_path)
    assert match
    sent = browser.request(
        "POST",
        f"/consultation/{match.group(1)}/submit",
        {"csrf_token": hidden.get("csrf_token", "")},
    )
    if sent.status != 302:
        raise BenchError(f"sending the consultation gave {sent.status}")
    path = path_of(sent.header("Location"), browser.port)
    done = browser.request("GET", path)
    if done.status != 200 or not SENT_PATH.match(path):
        raise BenchError(f"after sending, {path} gave {done.status}")
    return sent, done
