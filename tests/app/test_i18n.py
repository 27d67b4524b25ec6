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
# Every message translated, staff pages too; the others are complete for the pages
# children and families read (staff pages may stay in English there).
FULLY_TRANSLATED = ("ar", "ti")
PUBLIC = languages.public_message_ids(ROOT / "translations")


def _catalogue(code: str):  # type: ignore[no-untyped-def]
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def _missing(code: str, only: frozenset[str] | None = None) -> list[object]:
    return [
        m.id
        for m in _catalogue(code)
        if m.id
        and (only is None or (m.id if isinstance(m.id, str) else m.id[0]) in only)
        and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
    ]


def test_the_public_list_is_a_real_share_of_the_messages() -> None:
    everything = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue("ar") if m.id}
    assert 300 < len(PUBLIC) < len(everything) and everything >= PUBLIC


@pytest.mark.parametrize("code", REQUIRED)
def test_every_public_message_is_translated_with_no_fuzzy_strings(code: str) -> None:
    missing = _missing(code, PUBLIC)
    assert missing == [], f"{code}: {len(missing)} untranslated or fuzzy, e.g. {missing[:3]}"


@pytest.mark.parametrize("code", FULLY_TRANSLATED)
def test_catalogue_is_complete_with_no_fuzzy_strings(code: str) -> None:
    missing = _missing(code)
    assert missing == [], f"{code}: {len(missing)} untranslated or fuzzy, e.g. {missing[:3]}"


MARKS = ("**", "##", "](", "<", ">")


@pytest.mark.parametrize("code", REQUIRED)
def test_translations_keep_every_placeholder_and_mark(code: str) -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in _catalogue(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(ids[-1]))
        for text in strings:
            if not text:
                continue
            found = set(placeholder.findall(text))
            # Plural forms may leave the number out (Arabic says "no children", "a child",
            # "two children"), but no form may bring in a name Python cannot fill.
            assert found <= wanted if len(strings) > 1 else found == wanted, (code, message.id)
            stray = re.sub(r"%\(\w+\)[sd]|%%", "", text)
            assert "%" not in stray or "%" in re.sub(r"%\(\w+\)[sd]|%%", "", ids[-1]), (
                code,
                message.id,
            )
            for mark in MARKS:
                assert text.count(mark) == ids[0].count(mark), (code, message.id, mark)


def test_plural_rules_are_right() -> None:
    ar = _catalogue("ar")
    assert ar.num_plurals == 6
    # GNU gettext's Arabic rule: 3-10 "few" (3), 11-99 "many" (4), 100-102 "other" (5).
    # (pybabel init writes a rule that swaps the last two.)
    assert "n%100>=11 ? 4 : 5" in ar.plural_expr
    ti = _catalogue("ti")
    assert ti.num_plurals == 2 and "n > 1" in ti.plural_expr


@pytest.mark.parametrize("code", [c for c in REQUIRED if c != "ar"])
def test_each_catalogues_plural_rule_picks_the_form_the_language_uses(code: str) -> None:
    """The catalogue's rule against CLDR's (through Babel) for 0 to 300: the same count
    of forms, and the same form for every number."""
    import gettext

    from babel.messages.plurals import get_plural

    catalogue = _catalogue(code)
    expected = get_plural(code)
    assert catalogue.num_plurals == expected.num_plurals
    ours = gettext.c2py(catalogue.plural_expr)
    theirs = gettext.c2py(expected.plural_expr)
    assert [ours(n) for n in range(301)] == [theirs(n) for n in range(301)]


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


def test_the_public_list_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "public.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel-public.cfg",
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
    committed = ROOT / "translations" / "public.pot"
    with fresh.open("rb") as a, committed.open("rb") as b:
        assert {m.id for m in read_po(a) if m.id} == {m.id for m in read_po(b) if m.id}, (
            "run `make extract`"
        )


def test_every_language_is_offered_to_families_and_complete_ones_to_staff(app) -> None:
    assert set(app.extensions["portal_languages"]) == {"en_GB", *REQUIRED}
    assert set(app.extensions["staff_languages"]) == {"en_GB", *FULLY_TRANSLATED}


def test_a_language_missing_one_public_message_is_not_offered(tmp_path: Path) -> None:
    import shutil

    from babel.messages.pofile import write_po

    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy)
    po = copy / "ps" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    message = next(m for m in catalogue if m.id and m.id in PUBLIC and isinstance(m.id, str))
    message.string = ""
    with po.open("wb") as handle:
        write_po(handle, catalogue)
    offered = languages.offered_languages(copy)
    assert "ps" not in offered and "ar" in offered


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


@pytest.mark.parametrize("code", ["xx", "en_US", "../../etc", "ar%00", "ps" * 200])
def test_a_language_that_is_not_offered_falls_back_without_an_error(client, code: str) -> None:
    chose = client.get(f"/language/{code}?next=/sign-in")
    assert chose.status_code in (302, 404)
    assert 'lang="en-GB"' in client.get("/sign-in").text


@pytest.mark.parametrize(
    "header",
    ["ps;q=0.9," * 1200, "🙂;;;q=abc,,,fa-AF;q=", "x" * 10_000, "fa-AF;q=0.5, ps;q=0.9"],
)
def test_a_huge_or_malformed_accept_language_never_errors(client, header: str) -> None:
    page = client.get("/sign-in", headers={"Accept-Language": header})
    assert page.status_code == 200
    if header.startswith("fa-AF;q=0.5"):
        assert 'lang="ps"' in page.text  # the preferred one that is offered


def test_dates_and_numbers_in_the_locales_own_digits(client) -> None:
    la, iro, kid, review, issued = factories.world(language="fa_AF")
    client.expected_lang = "fa-AF"
    first = child_signs_in(client, issued)
    page = client.get(first).text
    assert "۱" in page  # "page 1 of 5" in Persian digits
    cid = int(first.split("/")[2])
    client.submit(f"/consultation/{cid}/submit", {}, from_url=f"/consultation/{cid}/check")
    sent = client.get(f"/consultation/{cid}/sent").text
    persian_year = str(review.planned_on.year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert persian_year in sent and str(review.planned_on.year) not in sent


def test_switching_language_half_way_keeps_the_answers(client) -> None:
    *_, issued = factories.world(age=15, language="en_GB")
    first = child_signs_in(client, issued)
    cid = int(first.split("/")[2])
    client.submit(first, {"meeting_where": "At school ✏️"})
    client.get(f"/language/ps?next=/consultation/{cid}/check")
    client.expected_lang = "ps"
    check = client.get(f"/consultation/{cid}/check").text
    assert "At school ✏️" in check and 'lang="ps" dir="rtl"' in check
