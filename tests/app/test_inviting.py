"""Inviting people before a review: the letter, email and text, reissuing and stopping."""

from __future__ import annotations

import re

import pytest
from babel.dates import format_date
from flask import Flask
from sqlalchemy import select

from portal.domain import languages
from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    Delivery,
    Invitation,
    StaffRole,
)
from tests import factories
from tests.app.conftest import MAIL_FROM
from tests.fake_notify import FakeNotify
from tests.fake_smtp import FakeSmtp
from tests.journeys import SECRET, staff_signs_in

CODE = re.compile(r"\b([ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3})\b")
LINK = re.compile(r"https?://[^\s<\"]+/i/([A-Za-z0-9_\-]+)")


def _setup(email_sender: str = "none", sms_sender: str = "none", **child):  # type: ignore[no-untyped-def]
    la = factories.authority()
    la.email_sender, la.sms_sender = email_sender, sms_sender
    iro = factories.staff(la, name="Jo Whitfield")
    kid, review = factories.child(la, iro, **child)
    db.session.commit()
    return la, iro, kid, review


def _invite(client, review_id: int, **fields: str):  # type: ignore[no-untyped-def]
    data = {"role": "child", "name": "Amir", "language": "en_GB", "channel": "letter"}
    data.update(fields)
    return client.submit(f"/staff/reviews/{review_id}/invite", data)


def _signs_in_with_code(client, code: str) -> None:  # type: ignore[no-untyped-def]
    entered = client.submit("/sign-in", {"code": code})
    assert entered.status_code == 302 and entered.headers["Location"] == "/sign-in/secret"
    chose = client.submit("/sign-in/secret", {"secret": SECRET, "confirm": SECRET})
    assert chose.status_code == 302 and chose.headers["Location"] == "/consultation"


def test_a_letter_invitation_shows_the_code_once_and_the_code_signs_the_child_in(
    client, make_client
) -> None:
    la, iro, kid, review = _setup(name="Amir", review_in_days=20)
    staff_signs_in(client, iro.email)
    form = client.get(f"/staff/reviews/{review.id}/invite").text
    assert 'value="Amir"' in form  # the child's name to start with
    assert "Email" not in form and "Text message" not in form  # this authority sends letters

    letter = _invite(client, review.id)
    assert letter.status_code == 200  # the page itself: the code exists only in it
    assert letter.headers["Cache-Control"] == "no-store"
    page = letter.text
    code = CODE.search(page).group(1)  # type: ignore[union-attr]
    token = LINK.search(page).group(1)  # type: ignore[union-attr]
    assert "Hello <bdi>Amir</bdi>," in page
    assert "the meeting about you" in page
    assert iro.display_name in page and la.iro_team_phone in page
    assert format_date(review.planned_on, format="long", locale="en_GB") in page
    assert "0800 1111" in page and "Childline" in page
    assert "http://localhost/sign-in" in page
    assert "use your browser's Print command" in page

    invitation = db.session.scalars(select(Invitation)).one()
    assert (invitation.channel, invitation.invited_by_id) == ("letter", iro.id)
    assert code not in invitation.code_digest and token not in invitation.token_digest
    delivery = db.session.scalars(select(Delivery)).one()
    assert (delivery.purpose, delivery.channel, delivery.status) == (
        "invitation",
        "letter",
        "printed",
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.INVITED)
    ).one()
    assert (event.subject_type, event.subject_id, event.staff_user_id) == (
        "invitation",
        invitation.id,
        iro.id,
    )
    # The invitation's page never shows the code again.
    again = client.get(f"/staff/invitations/{invitation.id}").text
    assert code not in again and token not in again and "Ready to print" in again

    _signs_in_with_code(make_client(), code)
    assert make_client().get(f"/i/{token}").status_code == 302


def test_an_arabic_invitee_gets_the_letter_in_arabic_inside_the_staff_page(client) -> None:
    la, iro, kid, review = _setup(name="أمير", language="ar")
    staff_signs_in(client, iro.email)
    form = client.get(f"/staff/reviews/{review.id}/invite").text
    assert '<option value="ar" selected>العربية</option>' in form
    page = _invite(client, review.id, name="أمير", language="ar").text
    assert '<html lang="en-GB" dir="ltr">' in page  # the IRO's page stays in English
    letter = page.split('<div class="letter" lang="ar" dir="rtl">', 1)[1]
    assert "Hello" not in page.split('<div class="letter"', 1)[0].split("<main", 1)[1]
    assert format_date(review.planned_on, format="long", locale="ar") in letter
    # Sentences already translated show in Arabic, not English.
    assert "Tell your IRO what you think before the meeting about you." not in letter
    assert "Childline is free and there any time" not in letter
    assert "أمير" in letter and CODE.search(letter)
    assert db.session.scalars(select(Invitation)).one().language == "ar"


def test_an_email_invitation_goes_through_smtp_in_the_invitees_language(
    client, make_client, smtp: FakeSmtp
) -> None:
    la, iro, kid, review = _setup("smtp", name="Robin")
    staff_signs_in(client, iro.email)
    sent = _invite(client, review.id, name="Robin", channel="email", email="robin@example.com")
    invitation = db.session.scalars(select(Invitation)).one()
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/staff/invitations/{invitation.id}"
    (mail,) = smtp.received
    assert mail.rcpt_to == ["robin@example.com"]
    assert mail.message["From"] == MAIL_FROM
    assert mail.message["Subject"] == "Have your say before the meeting about you"
    body = mail.body
    assert body.startswith("Hello Robin,")
    assert iro.display_name in body and la.iro_team_phone in body
    assert "http://localhost/i/" in body and "http://localhost/sign-in" in body
    assert "0800 1111" in body
    assert (invitation.contact_email, invitation.channel) == ("robin@example.com", "email")
    delivery = db.session.scalars(select(Delivery)).one()
    assert (delivery.channel, delivery.status, delivery.error) == ("email", "sent", "")
    assert "Sent" in client.get(sent.headers["Location"]).text
    _signs_in_with_code(make_client(), CODE.search(body).group(1))  # type: ignore[union-attr]


def test_pressing_twice_makes_one_invitation_and_sends_it_once(client, smtp: FakeSmtp) -> None:
    la, iro, kid, review = _setup("smtp")
    staff_signs_in(client, iro.email)
    fields = {"channel": "email", "email": "robin@example.com"}
    first = _invite(client, review.id, **fields)
    second = _invite(client, review.id, **fields)
    invitation = db.session.scalars(select(Invitation)).one()
    assert second.headers["Location"] == f"/staff/invitations/{invitation.id}?already=1"
    assert first.headers["Location"] == f"/staff/invitations/{invitation.id}"
    assert len(smtp.received) == 1
    assert "we did not make or send another" in client.get(second.headers["Location"]).text
    # Someone else, or the same person another way, is a new invitation.
    _invite(client, review.id, **fields, role="parent", name="Morgan")
    _invite(client, review.id, channel="letter")
    assert len(db.session.scalars(select(Invitation)).all()) == 3


def test_reloading_the_letter_page_does_not_make_a_second_letter(client) -> None:
    la, iro, kid, review = _setup()
    staff_signs_in(client, iro.email)
    code = CODE.search(_invite(client, review.id).text).group(1)  # type: ignore[union-attr]
    again = _invite(client, review.id)
    assert again.status_code == 302
    shown = client.get(again.headers["Location"]).text
    assert "If you did not print it, make a new link and code below." in shown
    assert code not in shown
    assert len(db.session.scalars(select(Invitation)).all()) == 1


def test_links_use_the_public_address_when_one_is_set(
    app: Flask, client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://say.testshire.example/portal/")
    la, iro, kid, review = _setup()
    staff_signs_in(client, iro.email)
    page = _invite(client, review.id).text
    assert re.search(r"https://say\.testshire\.example/portal/i/[A-Za-z0-9_\-]{20,}<", page)
    assert "https://say.testshire.example/portal/sign-in" in page
    assert "http://localhost" not in page


def test_an_email_invitation_through_notify_sends_template_and_personalisation(
    client, make_client, notify: FakeNotify
) -> None:
    la, iro, kid, review = _setup("notify")
    staff_signs_in(client, iro.email)
    _invite(client, review.id, role="parent", name="Morgan", channel="email", email="m@example.com")
    (sent,) = notify.received
    assert sent.kind == "email"
    assert sent.json["email_address"] == "m@example.com"
    assert sent.json["template_id"] == "email-template-1"
    personalisation = sent.json["personalisation"]
    assert set(personalisation) == {"subject", "body"}
    assert personalisation["subject"].startswith("Your views before the review meeting on")
    assert personalisation["body"].startswith("Hello Morgan,")
    assert "0800 1111" not in personalisation["body"]  # Childline is for children
    delivery = db.session.scalars(select(Delivery)).one()
    assert delivery.status == "sent" and delivery.provider_reference
    code = CODE.search(personalisation["body"]).group(1)  # type: ignore[union-attr]
    _signs_in_with_code(make_client(), code)


def test_a_text_message_invitation_goes_through_notify_to_a_normalised_number(
    client, notify: FakeNotify
) -> None:
    la, iro, kid, review = _setup(sms_sender="notify")
    staff_signs_in(client, iro.email)
    form = client.get(f"/staff/reviews/{review.id}/invite").text
    assert "Text message" in form and 'type="tel"' in form and 'type="email"' not in form
    _invite(client, review.id, channel="sms", phone="07700 900123")
    (sent,) = notify.received
    assert sent.kind == "sms"
    assert sent.json["phone_number"] == "+447700900123"
    assert sent.json["template_id"] == "sms-template-1"
    assert list(sent.json["personalisation"]) == ["body"]
    body = sent.json["personalisation"]["body"]
    assert "/i/" in body and CODE.search(body) and "meeting about you" in body
    assert db.session.scalars(select(Invitation)).one().contact_phone == "+447700900123"


def test_a_notify_failure_is_recorded_and_shown_on_the_invitation_page(
    client, notify: FakeNotify
) -> None:
    la, iro, kid, review = _setup("notify")
    notify.fail_with(400, "Can't send to this recipient using a team-only API key")
    staff_signs_in(client, iro.email)
    sent = _invite(client, review.id, channel="email", email="robin@example.com")
    delivery = db.session.scalars(select(Delivery)).one()
    assert delivery.status == "failed"
    assert "team-only API key" in delivery.error
    page = client.get(sent.headers["Location"]).text
    assert "The invitation did not reach <bdi>Amir</bdi>" in page
    assert "Can&#39;t send to this recipient using a team-only API key" in page
    assert "Not sent" in page and "table__row--flagged" in page


def test_an_email_service_that_is_not_set_up_fails_clearly_not_with_a_crash(client) -> None:
    la, iro, kid, review = _setup("notify")  # but no NOTIFY_API_KEY in the config
    staff_signs_in(client, iro.email)
    sent = _invite(client, review.id, channel="email", email="robin@example.com")
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).text
    assert "GOV.UK Notify is not set up: NOTIFY_API_KEY is not set" in page


@pytest.mark.parametrize(
    ("fields", "error", "kept"),
    [
        ({"channel": "email", "email": ""}, "Enter their email address", None),
        (
            {"channel": "email", "email": "robin at example"},
            "Enter an email address in the right form, like name@example.com",
            'value="robin at example"',
        ),
        (
            {"channel": "sms", "phone": "01632 960123"},
            "Enter a UK mobile number, like 07700 900123 or +44 7700 900123",
            'value="01632 960123"',
        ),
        ({"channel": "sms", "phone": ""}, "Enter their mobile phone number", None),
        ({"name": ""}, "Enter their name", None),
        ({"name": "x" * 101}, "Their name must be 100 characters or fewer", "x" * 101),
        ({"role": "social_worker"}, "Choose who you are inviting", None),
        ({"language": "ti"}, "Choose a language", None),  # not switched on here
        ({"channel": "pigeon"}, "Choose how to send the invitation", None),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_what_was_typed(
    client, fields: dict[str, str], error: str, kept: str | None
) -> None:
    la, iro, kid, review = _setup("smtp", "notify")
    la.enabled_languages = "en_GB ar"
    db.session.commit()
    staff_signs_in(client, iro.email)
    page = _invite(client, review.id, **{"name": "Robin ✨", **fields})
    assert page.status_code == 200
    assert "<title>Error:" in page.text and error in page.text
    if kept:
        assert kept in page.text
    if "name" not in fields:
        assert 'value="Robin ✨"' in page.text
    assert db.session.scalars(select(Invitation)).all() == []


def test_names_in_any_script_are_kept_and_control_characters_dropped(client) -> None:
    la, iro, kid, review = _setup()
    staff_signs_in(client, iro.email)
    page = _invite(client, review.id, name="\x00دانیال 🙂\u202e")
    assert page.status_code == 200
    assert db.session.scalars(select(Invitation)).one().invitee_name == "دانیال 🙂\u202e"


def test_reissuing_replaces_the_code_and_link_and_the_old_ones_stop_working(
    client, make_client
) -> None:
    la, iro, kid, review = _setup()
    staff_signs_in(client, iro.email)
    first = _invite(client, review.id).text
    old_code = CODE.search(first).group(1)  # type: ignore[union-attr]
    old_token = LINK.search(first).group(1)  # type: ignore[union-attr]
    invitation = db.session.scalars(select(Invitation)).one()
    page = f"/staff/invitations/{invitation.id}"

    second = client.submit(f"/staff/invitations/{invitation.id}/reissue", {}, from_url=page)
    assert second.status_code == 200
    new_code = CODE.search(second.text).group(1)  # type: ignore[union-attr]
    new_token = LINK.search(second.text).group(1)  # type: ignore[union-attr]
    assert new_code != old_code and new_token != old_token
    assert db.session.scalars(select(Invitation)).one().id == invitation.id  # same invitation

    stranger = make_client()
    refused = stranger.submit("/sign-in", {"code": old_code})
    assert "We could not find that code" in refused.text
    assert stranger.get(f"/i/{old_token}").status_code == 404
    _signs_in_with_code(make_client(), new_code)
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert AuditAction.REISSUED_INVITATION in actions
    assert len(db.session.scalars(select(Delivery)).all()) == 2


def test_a_lost_letter_found_by_someone_else_is_no_use_once_reissued(client, make_client) -> None:
    la, iro, kid, review = _setup()
    staff_signs_in(client, iro.email)
    first = _invite(client, review.id).text
    # Whoever found the letter chose a PIN before the child could.
    _signs_in_with_code(make_client(), CODE.search(first).group(1))  # type: ignore[union-attr]
    invitation = db.session.scalars(select(Invitation)).one()
    page = f"/staff/invitations/{invitation.id}"
    second = client.submit(f"{page}/reissue", {}, from_url=page)
    # With no answers saved yet, the child chooses their own PIN with the new code.
    _signs_in_with_code(make_client(), CODE.search(second.text).group(1))  # type: ignore[union-attr]


def test_reissuing_an_email_invitation_emails_the_new_code(client, smtp: FakeSmtp) -> None:
    la, iro, kid, review = _setup("smtp")
    staff_signs_in(client, iro.email)
    _invite(client, review.id, channel="email", email="robin@example.com")
    invitation = db.session.scalars(select(Invitation)).one()
    page = f"/staff/invitations/{invitation.id}"
    again = client.submit(f"{page}/reissue", {}, from_url=page)
    assert again.status_code == 302
    assert [m.rcpt_to for m in smtp.received] == [["robin@example.com"]] * 2
    codes = [CODE.search(m.body).group(1) for m in smtp.received]  # type: ignore[union-attr]
    assert codes[0] != codes[1]


def test_withdrawing_an_invitation_ends_the_link_and_code(client, make_client) -> None:
    la, iro, kid, review = _setup()
    staff_signs_in(client, iro.email)
    code = CODE.search(_invite(client, review.id).text).group(1)  # type: ignore[union-attr]
    invitation = db.session.scalars(select(Invitation)).one()
    page = f"/staff/invitations/{invitation.id}"
    assert ">Invited</strong>" in client.get(page).text
    stopped = client.submit(f"{page}/revoke", {}, from_url=page)
    assert stopped.status_code == 302
    assert db.session.get(Invitation, invitation.id).revoked_at is not None  # type: ignore[union-attr]
    shown = client.get(page).text
    assert ">Withdrawn</strong>" in shown and "Make a new link and code" not in shown
    assert "This invitation has ended" in make_client().submit("/sign-in", {"code": code}).text
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.REVOKED_INVITATION)
    ).all()
    assert [(e.subject_type, e.subject_id) for e in events] == [("invitation", invitation.id)]
    # Reissuing a withdrawn invitation does nothing.
    client.post(f"{page}/reissue", data={"csrf_token": _token(client, page)})
    assert len(db.session.scalars(select(Delivery)).all()) == 1


def _token(client, url: str) -> str:  # type: ignore[no-untyped-def]
    return client.csrf_token(url)


def test_the_invitation_page_shows_how_far_the_person_got(client, make_client) -> None:
    la, iro, kid, review = _setup()
    staff_signs_in(client, iro.email)
    code = CODE.search(_invite(client, review.id).text).group(1)  # type: ignore[union-attr]
    invitation = db.session.scalars(select(Invitation)).one()
    child = make_client()
    child.submit("/sign-in", {"code": code})
    assert ">Opened</strong>" in client.get(f"/staff/invitations/{invitation.id}").text
    child.submit("/sign-in/secret", {"secret": SECRET, "confirm": SECRET})
    child.get("/consultation")
    assert ">Started</strong>" in client.get(f"/staff/invitations/{invitation.id}").text


def _routes(review_id: int, invitation_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"/staff/reviews/{review_id}/invite"),
        ("POST", f"/staff/reviews/{review_id}/invite"),
        ("GET", f"/staff/invitations/{invitation_id}"),
        ("POST", f"/staff/invitations/{invitation_id}/reissue"),
        ("POST", f"/staff/invitations/{invitation_id}/revoke"),
    ]


def test_other_authorities_and_other_caseloads_get_not_found_and_it_is_audited(
    make_client,
) -> None:
    la, iro, kid, review, issued = factories.world()
    kid.preferred_name = "Zephyrine"
    colleague = factories.staff(la)  # same authority, not their child, not covering
    other = factories.authority()
    outsiders = [factories.staff(other), factories.staff(other, role=StaffRole.MANAGER)]
    db.session.commit()
    invitation_id = issued.invitation.id
    for stranger in [colleague, *outsiders]:
        viewer = make_client()
        staff_signs_in(viewer, stranger.email)
        token = viewer.csrf_token("/staff/")
        for method, url in _routes(review.id, invitation_id):
            data = {"csrf_token": token, "role": "child", "name": "X", "language": "en_GB"}
            response = (
                viewer.get(url)
                if method == "GET"
                else viewer.post(url, data={**data, "channel": "letter"})
            )
            assert response.status_code == 404, (method, url)
            assert "Zephyrine" not in response.text
        denied = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == AuditAction.DENIED, AuditEvent.staff_user_id == stranger.id
            )
        ).all()
        assert sorted((e.subject_type, e.subject_id) for e in denied) == sorted(
            [("review", review.id)] * 2 + [("invitation", invitation_id)] * 3
        )
    assert db.session.get(Invitation, invitation_id).revoked_at is None  # type: ignore[union-attr]
    assert len(db.session.scalars(select(Invitation)).all()) == 1
    assert db.session.scalars(select(Delivery)).all() == []


def test_an_administrator_cannot_invite(client) -> None:
    la, iro, kid, review, issued = factories.world()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    db.session.commit()
    staff_signs_in(client, admin.email)
    assert client.get(f"/staff/reviews/{review.id}/invite").status_code == 404
    assert client.get(f"/staff/invitations/{issued.invitation.id}").status_code == 404


def test_a_manager_can_invite_for_any_child_of_their_authority(client) -> None:
    la, iro, kid, review = _setup()
    manager = factories.staff(la, role=StaffRole.MANAGER)
    db.session.commit()
    staff_signs_in(client, manager.email)
    assert _invite(client, review.id).status_code == 200
    assert db.session.scalars(select(Invitation)).one().invited_by_id == manager.id


@pytest.mark.parametrize("code", [c for c in languages.TRANSLATED if c != "ar"])
@pytest.mark.parametrize("role", ["child", "parent"])
def test_the_printed_letter_is_in_the_invitees_language_with_no_english_left(
    client, code: str, role: str
) -> None:
    from babel import Locale

    from tests.audit import english_sentences

    la, iro, kid, review = _setup(name="Zara", language=code)
    staff_signs_in(client, iro.email)
    page = _invite(client, review.id, name="Zara", language=code, role=role).text
    direction = Locale.parse(code).text_direction
    tag = code.replace("_", "-")
    letter = page.split(f'<div class="letter" lang="{tag}" dir="{direction}">', 1)[1]
    letter = letter.split("</main>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", letter).split())
    left = [s for s in english_sentences() if len(s) > 12 and s in text]
    assert left == [], (code, left[:3])
    assert CODE.search(letter)
