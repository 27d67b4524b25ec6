"""The frame's kept parts: the same HTML the templates drew, and nothing of one page's
address carried into another's."""

from __future__ import annotations

import pytest

from portal.domain.languages import Language, describe
from portal.web.frame_parts import language_items, phone_link

OFFERED = {code: describe(code) for code in ("en_GB", "ar", "ti", "fa_AF")}


@pytest.mark.parametrize(
    ("number", "dialled"),
    [
        ("01632 960000", "01632960000"),
        ("+44 (0)1632 960 000", "+441632960000"),
        ("0800-1111", "08001111"),
        ("(01632) 960000", "01632960000"),
    ],
)
def test_a_phone_link_dials_digits_and_shows_the_number_as_written(
    number: str, dialled: str
) -> None:
    assert phone_link(number) == (f'<a href="tel:{dialled}"><bdi dir="ltr">{number}</bdi></a>')


def test_a_phone_number_is_escaped() -> None:
    link = phone_link('0800 "><script>')
    assert "<script>" not in link
    assert "&#34;&gt;&lt;script&gt;" in link


def test_the_language_being_read_is_marked_and_the_others_link_back_here() -> None:
    items = language_items("ar", OFFERED, "/consultation/12/about-you?change=1")
    assert items.count("<li>") == 4
    assert (
        '<span class="languages__current" aria-current="true" lang="ar" dir="rtl">العربية</span>'
        in items
    )
    assert (
        '<a href="/language/fa_AF?next=/consultation/12/about-you%3Fchange%3D1"'
        ' lang="fa-AF" hreflang="fa-AF" dir="rtl">'
    ) in items
    assert 'href="/language/ar' not in items


def test_each_page_gets_its_own_address_never_anothers() -> None:
    first = language_items("en_GB", OFFERED, "/consultation/1/a")
    second = language_items("en_GB", OFFERED, "/consultation/2/b")
    assert "/consultation/1/a" in first and "/consultation/1/a" not in second
    assert "/consultation/2/b" in second
    assert "\x00" not in first + second


def test_an_address_with_markup_in_it_stays_an_address() -> None:
    items = language_items("en_GB", OFFERED, '/x"><script>alert(1)</script>')
    assert "<script>" not in items
    assert "%22%3E%3Cscript%3E" in items


def test_a_prefix_the_portal_is_served_under_comes_first() -> None:
    items = language_items("en_GB", OFFERED, "/", "/portal")
    assert 'href="/portal/language/ar?next=/"' in items


def test_names_in_their_own_script_are_escaped_too() -> None:
    odd = {"xx": Language("xx", "<b>x</b>", "ltr"), "en_GB": describe("en_GB")}
    items = language_items("en_GB", odd, "/")
    assert "<b>" not in items and "&lt;b&gt;x&lt;/b&gt;" in items
