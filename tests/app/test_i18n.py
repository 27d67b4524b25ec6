"""Languages: choosing one, right-to-left pages, complete catalogues, local formats."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.domain import languages
from portal.extensions import db
from tests import factories
from tests.journeys import child_signs_in

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = languages.TRANSLATED


def _catalogue(code: str):  # type: ignore[no-untyped-def]
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("code", REQUIRED)
def test_catalogue_is_complete_with_no_fuzzy_strings(code: str) -> None:
    catalogue = _catalogue(code)
    missing = [
        m.id
        for m in catalogue
        if m.id and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert missing == [], f"{code}: {len(missing)} untranslated or fuzzy, e.g. {missing[:3]}"


@pytest.mark.parametrize("code", REQUIRED)
def test_translations_keep_every_placeholder(code: str) -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in _catalogue(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(ids[-1]))
        for text in strings:
            found = set(placeholder.findall(text))
            # Plural forms may leave the number out (Arabic says "no children", "a child",
            # "two children"), but no form may bring in a name Python cannot fill.
            assert found <= wanted if len(strings) > 1 else found == wanted, (code, message.id)


def test_plural_rules_are_right() -> None:
    ar = _catalogue("ar")
    assert ar.num_plurals == 6
    # GNU gettext's Arabic rule: 3-10 "few" (3), 11-99 "many" (4), 100-102 "other" (5).
    # (pybabel init writes a rule that swaps the last two.)
    assert "n%100>=11 ? 4 : 5" in ar.plural_expr
    ti = _catalogue("ti")
    assert ti.num_plurals == 2 and "n > 1" in ti.plural_expr


def test_the_message_template_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-k",
            "N_",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = ROOT / "translations" / "messages.pot"
    with fresh.open("rb") as a, committed.open("rb") as b:
        assert {m.id for m in read_po(a)} == {m.id for m in read_po(b)}, "run `make extract`"


def test_only_complete_languages_are_offered(app) -> None:
    offered = app.extensions["portal_languages"]
    assert set(offered) >= {"en_GB", *REQUIRED}


def test_picker_names_each_language_in_itself(client) -> None:
    page = client.get("/sign-in").text
    assert 'lang="ar"' in page and "العربية" in page
    assert "ትግርኛ" in page and "English" in page


def test_arabic_pages_are_right_to_left_and_tigrinya_left_to_right(client) -> None:
    client.expected_lang = "ar"
    ar = client.get("/sign-in", headers={"Accept-Language": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in ar
    client.expected_lang = "ti"
    client.get("/language/ti?next=/sign-in")
    ti = client.get("/sign-in").text
    assert '<html lang="ti" dir="ltr">' in ti


def test_locale_order_choice_then_invitation_then_browser(client) -> None:
    la, iro, kid, review, _issued = factories.world()
    issued = factories.invitation(review, language="ti")
    db.session.commit()
    assert 'lang="en-GB"' in client.get("/sign-in").text  # nothing known: English
    assert 'lang="ar"' in client.get("/sign-in", headers={"Accept-Language": "ar"}).text
    client.get(f"/i/{issued.link_token}")  # the invitation says Tigrinya
    page = client.get("/sign-in/secret", headers={"Accept-Language": "ar"})
    assert 'lang="ti"' in page.text
    client.get("/language/ar?next=/sign-in")  # an explicit choice beats both
    assert 'lang="ar"' in client.get("/sign-in/secret").text
    assert 'lang="ar"' in client.get("/signed-out").text  # and is kept across pages


def test_dates_are_british_by_default_and_local_in_arabic(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world()
    first = child_signs_in(client, issued)
    cid = int(first.split("/")[2])
    client.submit(f"/consultation/{cid}/submit", {}, from_url=f"/consultation/{cid}/check")
    english = client.get(f"/consultation/{cid}/sent").text
    day = review.planned_on
    assert f"{day.day} {day.strftime('%B')} {day.year}" in english
    client.get(f"/language/ar?next=/consultation/{cid}/sent")
    client.expected_lang = "ar"
    arabic = client.get(f"/consultation/{cid}/sent").text
    assert day.strftime("%B") not in arabic


def test_arabic_journey_pages_have_no_english_left(client) -> None:
    *_, issued = factories.world(age=15, language="ar")
    client.expected_lang = "ar"
    first = child_signs_in(client, issued)  # every page is audited for English
    cid = int(first.split("/")[2])
    client.submit(f"/consultation/{cid}/home", {"feel_safe_home": "no"}, from_url=first)
    client.get(f"/consultation/{cid}/help-now?next=school")
    client.get(f"/consultation/{cid}/check")


def test_error_messages_are_translated(client) -> None:
    client.expected_lang = "ar"
    page = client.submit("/sign-in", {"code": "AAA-AAA-AAA"}, headers={"Accept-Language": "ar"})
    assert "We could not find that code" not in page.text
