"""Staff get their own footer: their account and its sign-out time, not the children's
helplines. Children's pages keep theirs."""

from __future__ import annotations

import pytest
from flask import Flask
from pytest import MonkeyPatch

from portal.extensions import db
from portal.models import InviteeRole, StaffRole
from tests import factories
from tests.journeys import child_signs_in, staff_signs_in


def _footer(page: str) -> str:
    return page.split('<footer class="footer">', 1)[1].split("</footer>", 1)[0]


def test_staff_pages_show_the_staff_footer(app: Flask, client, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "STAFF_IDLE_MINUTES", 45)
    la, iro, *_rest = factories.world()
    staff_signs_in(client, iro.email)
    for path in ("/staff/", "/staff/two-factor", "/staff/no-such-page"):
        footer = _footer(client.get(path).text)
        assert "Childline" not in footer and "0800 1111" not in footer
        assert "tel:" not in footer and "For your safety" not in footer
        assert "Your account" in footer
        assert f"Signed in as <bdi>{iro.display_name}</bdi>." in footer
        assert "you are signed out after 45 minutes without using this site" in footer
        assert 'href="/staff/two-factor"' in footer
        assert 'action="/staff/sign-out"' in footer
        assert "For help with your account, ask your administrator." in footer


def test_the_staff_sign_in_page_has_no_childline_either(client) -> None:
    factories.authority()
    db.session.commit()
    footer = _footer(client.get("/staff/sign-in").text)
    assert "Childline" not in footer and "tel:" not in footer
    assert "Signed in as" not in footer and "/staff/sign-out" not in footer
    assert "For help with your account, ask your administrator." in footer


def test_administrators_are_not_told_to_ask_an_administrator(client) -> None:
    la = factories.authority()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    db.session.commit()
    staff_signs_in(client, admin.email)
    footer = _footer(client.get("/staff/admin/accounts").text)
    assert "Signed in as" in footer
    assert "ask your administrator" not in footer


def test_childrens_pages_keep_their_footer(client) -> None:
    la, iro, *_rest, issued = factories.world()
    footer = _footer(client.get(child_signs_in(client, issued)).text)
    assert "Need help or someone to talk to?" in footer
    assert 'href="tel:08001111"' in footer and "Childline" in footer
    assert iro.display_name in footer and la.advocacy_phone in footer
    assert "For your safety, you are signed out after 20 minutes without using this site." in footer
    assert 'action="/sign-out"' in footer
    assert "Your account" not in footer and "/staff/" not in footer
    assert "Need help or someone to talk to?" in _footer(client.get("/sign-in").text)


@pytest.mark.parametrize("role", [InviteeRole.PARENT, InviteeRole.CARER, InviteeRole.PROFESSIONAL])
def test_grown_ups_are_told_who_to_ask_about_the_review_not_offered_childline(
    client, role: InviteeRole
) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro)
    issued = factories.invitation(review, role=role, professional_kind="health")
    db.session.commit()
    footer = _footer(client.get(child_signs_in(client, issued)).text)
    assert "Questions about the review?" in footer
    assert f"The Independent Reviewing Officer, <bdi>{iro.display_name}</bdi>" in footer
    assert la.iro_team_phone.replace(" ", "") in footer.replace(" ", "")
    for childrens in ("Childline", "Your IRO", la.advocacy_phone, "Need help or someone"):
        assert childrens not in footer
    assert 'action="/sign-out"' in footer
