"""The page frame: headers, quick exit, footer contacts, styles that mirror."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from portal import _RedactTokens
from portal.extensions import db
from portal.web.security import CONTENT_SECURITY_POLICY
from tests import factories
from tests.journeys import child_signs_in

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_carries_security_headers_and_is_never_stored(client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    for path in ("/sign-in", first, "/staff/sign-in", "/no-such-page"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


def test_pages_have_no_inline_script_or_style(client) -> None:
    *_, issued = factories.world(age=6)
    first = child_signs_in(client, issued)
    for path in ("/sign-in", first):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert "<style" not in html and " style=" not in html
        assert re.search(r"\son[a-z]+=", html) is None


def test_static_files_are_versioned_and_cached(client) -> None:
    html = client.get("/sign-in").text
    css = re.search(r'href="(/static/css/portal\.css\?v=[0-9a-f]+)"', html)
    assert css
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    response.close()


def test_quick_exit_ends_the_session_and_goes_somewhere_neutral(client, make_client) -> None:
    *_, issued = factories.world()
    first = child_signs_in(client, issued)
    page = client.get(first).text
    assert 'href="/leave"' in page and "Leave this site" in page
    cookie = client.get_cookie("portal_session").value
    left = client.get("/leave")
    assert left.status_code == 302 and left.headers["Location"].startswith("https://")
    assert "cookies" in left.headers["Clear-Site-Data"]
    assert left.headers["Cache-Control"] == "no-store"
    # Back (or a kept cookie) shows nothing of the consultation.
    assert client.get(first).status_code == 302
    replay = make_client()
    replay.set_cookie("portal_session", cookie)
    assert replay.get(first).status_code == 302


def test_footer_says_how_to_reach_the_iro_an_advocate_and_childline(client) -> None:
    la, iro, *_rest, issued = factories.world()
    page = client.get(child_signs_in(client, issued)).text
    assert iro.display_name in page and iro.phone in page
    assert la.advocacy_service_name in page and la.advocacy_phone in page
    assert "Childline" in page and "0800 1111" in page
    assert 'href="tel:08001111"' in page


def test_skip_link_and_main_landmark(client) -> None:
    page = client.get("/sign-in").text
    assert '<a href="#main" class="skip-link">' in page
    assert '<main id="main"' in page


def test_language_choice_only_goes_to_paths_on_this_site(client) -> None:
    for target in (
        "https://evil.example/",
        "//evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
        "/\r\nSet-Cookie:x",
    ):
        response = client.get("/language/en_GB", query_string={"next": target})
        assert response.headers["Location"] == "/sign-in"
    assert client.get("/language/en_GB?next=/signed-out").headers["Location"] == "/signed-out"


def test_personal_link_tokens_never_reach_the_logs() -> None:
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "GET %s HTTP/1.1" 302 -',
        ("127.0.0.1", "/i/abcDEF123_-x"),
        None,
    )
    _RedactTokens().filter(record)
    assert "abcDEF123" not in record.getMessage()
    assert "/i/[redacted]" in record.getMessage()
    # gunicorn's access log passes a dict of "atoms"
    access = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '%(h)s "%(r)s" %(s)s',
        {"h": "127.0.0.1", "r": "GET /i/abcDEF123_-x HTTP/1.1", "s": "302"},
        None,
    )
    _RedactTokens().filter(access)
    assert access.getMessage() == '127.0.0.1 "GET /i/[redacted] HTTP/1.1" 302'


PHYSICAL = re.compile(
    r"(margin|padding|border)-(left|right)|(?<![-\w])(left|right)\s*:|text-align:\s*(left|right)"
    r"|float:\s*(left|right)"
)


def test_styles_use_logical_properties_so_rtl_mirrors() -> None:
    css = (ROOT / "static" / "css" / "portal.css").read_text()
    assert PHYSICAL.search(css) is None, PHYSICAL.search(css)


def test_styles_and_scripts_are_small() -> None:
    assert (ROOT / "static" / "css" / "portal.css").stat().st_size < 20_000
    assert (ROOT / "static" / "js" / "portal.js").stat().st_size < 8_000


def test_names_are_isolated_for_bidi_and_escaped(client) -> None:
    la, iro, *_rest, issued = factories.world(language="ar")
    iro.display_name = "<b>Jo</b> Whitfield"
    from portal.extensions import db

    db.session.commit()
    client.expected_lang = "ar"
    page = client.get(child_signs_in(client, issued)).text
    assert "<bdi>&lt;b&gt;Jo&lt;/b&gt; Whitfield</bdi>" in page
    assert "<b>Jo</b>" not in page


def test_children_see_only_the_languages_their_authority_offers(client) -> None:
    la, _iro, _kid, _review, issued = factories.world()
    la.enabled_languages = "en_GB ti"
    db.session.commit()
    first = child_signs_in(client, issued)
    picker = client.get(first).text.split('aria-label="Choose a language"')[1].split("</nav>")[0]
    assert 'hreflang="ti"' in picker and 'hreflang="ar"' not in picker
