"""The page frame: headers, quick exit, footer contacts, styles that mirror."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from flask import Flask, Response

from portal import _RedactTokens
from portal.extensions import db
from portal.models import StaffRole
from portal.web.security import CONTENT_SECURITY_POLICY, init_security
from tests import factories
from tests.audit import PageAuditError, audit_html
from tests.journeys import child_signs_in, staff_signs_in

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


def test_security_headers_come_once_keep_a_views_own_and_hsts_only_over_https() -> None:
    app = Flask(__name__)
    init_security(app)

    @app.get("/own")
    def own() -> Response:
        return Response("framed", headers={"x-frame-options": "SAMEORIGIN"})

    client = app.test_client()
    plain = client.get("/own")
    assert plain.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    for name in ("Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"):
        assert len(plain.headers.getlist(name)) == 1, name
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/own", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=63072000")


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
    # Grown with plans and letters and a picker for 16 languages: about 5 KB gzipped, and
    # cached after the first page (the bench's page-weight figures measure what is sent).
    assert (ROOT / "static" / "css" / "portal.css").stat().st_size < 24_000
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


# --- Phone numbers: tappable, and never broken across lines ------------------------------

# The footer as it was: a tel: link, but nothing kept "01632 960 100" on one line.
OLD_FOOTER = (
    '<li>The IRO team: <a href="tel:01632960100"><bdi dir="ltr">01632 960 100</bdi></a></li>'
)


def _page(body: str, *, styles: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en-GB" dir="ltr"><head><meta charset="utf-8">'
        f"<title>Page – Service</title><style>{styles}</style></head>"
        f"<body><main><h1>Page</h1>{body}</main></body></html>"
    )


NOWRAP = 'a[href^="tel:"] { white-space: nowrap; }'


def test_the_audit_refuses_phone_numbers_that_wrap_or_cannot_be_tapped() -> None:
    refused = {
        "the old footer, which could wrap": _page(f"<ul>{OLD_FOOTER}</ul>"),
        "a number only as text": _page('<p><bdi dir="ltr">01632 960 123</bdi></p>', styles=NOWRAP),
        "in a sentence": _page("<p>Call the IRO team on 0800 1111 today.</p>", styles=NOWRAP),
        "spaces in the link": _page(
            '<a href="tel:01632 960 100"><bdi dir="ltr">01632 960 100</bdi></a>', styles=NOWRAP
        ),
        "digits not kept left to right": _page(
            '<a href="tel:+447700900123">+44 7700 900123</a>', styles=NOWRAP
        ),
    }
    for why, html in refused.items():
        with pytest.raises(PageAuditError):
            audit_html(html)
            pytest.fail(f"the audit let through {why}")
    audit_html(_page(f"<ul>{OLD_FOOTER}</ul>", styles=NOWRAP))
    # A child's own words, and examples of what to type, are shown as written.
    audit_html(_page('<div class="answer-text">ring me on 07700 900123</div>'))
    audit_html(_page('<p class="hint">For example 07700 900123</p>'))


def test_every_phone_number_in_the_frame_and_on_staff_pages_is_a_link(client, make_client) -> None:
    la, iro, *_rest, issued = factories.world()
    page = client.get(child_signs_in(client, issued)).text  # audited: see tests/audit.py
    for number in (iro.phone, la.advocacy_phone, "0800 1111"):
        href = "tel:" + number.replace(" ", "")
        assert f'<a href="{href}"><bdi dir="ltr">{number}</bdi></a>' in page
    css = (ROOT / "static" / "css" / "portal.css").read_text()
    assert 'a[href^="tel:"] { white-space: nowrap; }' in css

    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    db.session.commit()
    staff = make_client()
    staff_signs_in(staff, admin.email)
    account = staff.get(f"/staff/admin/accounts/{iro.id}").text
    assert '<a href="tel:01632960123"><bdi dir="ltr">01632 960 123</bdi></a>' in account


# --- Language of parts (WCAG 3.1.2) ----------------------------------------------------


def test_the_audit_wants_the_forms_english_marked_on_a_page_in_another_language() -> None:
    def arabic(body: str) -> str:
        return _page(body).replace('lang="en-GB" dir="ltr"', 'lang="ar" dir="rtl"')

    for unmarked in (
        '<h3 class="heading-s">Your review meeting</h3>',  # as the IRO's view had it
        '<h3 lang="en">Your review meeting</h3>',  # English, but aligned as Arabic
        '<p dir="ltr">Where would you like the meeting to be?</p>',
    ):
        with pytest.raises(PageAuditError, match="is not marked"):
            audit_html(arabic(unmarked))
    audit_html(arabic('<div lang="en" dir="ltr"><h3>Your review meeting</h3></div>'))
    audit_html(_page("<h3>Your review meeting</h3>"))  # an English page needs nothing


def test_the_iros_view_marks_the_forms_english_on_an_arabic_page(client, make_client) -> None:
    la, iro, kid, review, issued = factories.world(age=15)
    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    child.submit(f"/consultation/{cid}/meeting", {"attend": "all", "meeting_where": "At school"})
    client.get("/language/ar")
    client.expected_lang = "ar"  # every page below is audited as Arabic
    staff_signs_in(client, iro.email)
    for path in (f"/staff/consultations/{cid}", f"/staff/consultations/{cid}/print"):
        page = client.get(path).text
        assert '<h3 class="heading-s" lang="en" dir="ltr">Your review meeting</h3>' in page
