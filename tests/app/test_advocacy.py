"""A child asking for an advocate is a request someone acts on.

Their IRO's caseload flags it; when they send their form, the advocacy service the
authority named is emailed once, with the child's first name, the review date and the
IRO team's phone number, never their answers; the message is a Delivery ("advocacy").
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Delivery, DeliveryStatus, LocalAuthority, StaffRole
from portal.notifications.advocacy import send_advocacy_request
from tests import factories
from tests.fake_smtp import FakeSmtp
from tests.journeys import child_signs_in, staff_signs_in

ADVOCACY = "advocacy@testshire.example"
SECRET = "My stepdad shouts at night"


def _advocacy_deliveries() -> list[Delivery]:
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.purpose == "advocacy")
            .execution_options(populate_existing=True)
        )
    )


def _world(*, advocacy_email: str = ADVOCACY, email_sender: str = "smtp"):  # type: ignore[no-untyped-def]
    la = factories.authority()
    la.email_sender = email_sender
    la.advocacy_email = advocacy_email
    iro = factories.staff(la)
    kid, review = factories.child(la, iro, age=14, name="Robin Okafor")
    issued = factories.invitation(review, name="Robin Okafor")
    db.session.commit()
    return la, iro, kid, review, issued


def _child_answers(client, issued, wants: str, *, send: bool = True) -> int:  # type: ignore[no-untyped-def]
    first = child_signs_in(client, issued)
    cid = int(first.split("/")[2])
    client.submit(f"/consultation/{cid}/support", {"wants_advocate": wants}, from_url=first)
    client.submit(f"/consultation/{cid}/your_views", {"worried_about": SECRET}, from_url=first)
    if send:
        check = f"/consultation/{cid}/check"
        token = client.csrf_token(check)
        for _press in range(2):  # a double press
            sent = client.post(f"/consultation/{cid}/submit", data={"csrf_token": token})
            assert sent.headers["Location"] == f"/consultation/{cid}/sent"
    return cid


def test_the_advocacy_service_is_emailed_once_with_only_what_it_needs(
    client, smtp: FakeSmtp
) -> None:
    la, iro, kid, review, issued = _world()
    cid = _child_answers(client, issued, "yes")

    (mail,) = smtp.received
    assert mail.rcpt_to == [ADVOCACY]
    body = " ".join(mail.body.split())
    assert "Robin" in body and "Okafor" not in body
    day = review.planned_on
    assert f"{day.day} {day:%B %Y}" in body  # the review date, as the long British form
    assert la.iro_team_phone in body
    assert SECRET not in body and SECRET not in mail.message["Subject"]
    assert "would like an advocate" in mail.message["Subject"]

    (delivery,) = _advocacy_deliveries()
    assert (delivery.channel, delivery.status) == ("email", DeliveryStatus.SENT)
    assert delivery.invitation_id == issued.invitation.id
    assert delivery.once_key == f"advocacy:{cid}"

    # Asked again (a retry, the queue running it twice): nothing more is sent.
    from portal.models import Consultation

    assert send_advocacy_request(db.session.get(Consultation, cid)) is None
    assert len(smtp.received) == 1 and len(_advocacy_deliveries()) == 1


def test_not_sure_or_no_sends_nothing(make_client, smtp: FakeSmtp) -> None:
    for wants in ("not_sure", "no"):
        *_, issued = _world()
        _child_answers(make_client(), issued, wants)
    assert smtp.received == [] and _advocacy_deliveries() == []


def test_without_an_address_nothing_is_sent_but_the_iro_still_sees_the_request(
    client, make_client, smtp: FakeSmtp
) -> None:
    la, iro, kid, review, issued = _world(advocacy_email="")
    # Another child on the caseload has not asked.
    _other, other_review = factories.child(la, iro, name="Bilal")
    other = factories.invitation(other_review, name="Bilal")
    db.session.commit()
    _child_answers(make_client(), other, "no", send=False)
    _child_answers(make_client(), issued, "yes", send=False)
    assert smtp.received == [] and _advocacy_deliveries() == []

    staff_signs_in(client, iro.email)
    page = client.get("/staff/").text
    assert page.count("Asked for an advocate") == 1
    robin_row = page[page.index("Robin Okafor") :]
    assert robin_row.index("Asked for an advocate") < robin_row.index("</tr>")


def test_a_failed_email_is_recorded_and_the_childs_page_goes_on(client) -> None:
    # Email is chosen but the server is not set up (no SMTP_HOST).
    la, iro, kid, review, issued = _world()
    cid = _child_answers(client, issued, "yes")
    assert "Your answers have been sent" in client.get(f"/consultation/{cid}/sent").text
    (delivery,) = _advocacy_deliveries()
    assert delivery.status == DeliveryStatus.FAILED
    assert "Email is not set up" in delivery.error


def test_the_iro_sees_that_the_advocacy_service_was_told(
    client, make_client, smtp: FakeSmtp
) -> None:
    la, iro, kid, review, issued = _world()
    cid = _child_answers(make_client(), issued, "yes")
    staff_signs_in(client, iro.email)
    page = client.get(f"/staff/consultations/{cid}").text
    assert "Asked for an advocate. The advocacy service was emailed" in page


def test_the_administrator_sets_the_advocacy_address_and_where_the_choice_starts(
    client,
) -> None:
    la = factories.authority()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR)
    db.session.commit()
    staff_signs_in(client, admin.email)
    page = client.get("/staff/admin/settings").text
    assert "Advocacy service email address (optional)" in page
    assert 'name="default_answer_audience" value="meeting" checked' in page

    settings = {
        "service_name": la.service_name,
        "iro_team_phone": la.iro_team_phone,
        "iro_team_email": la.iro_team_email,
        "advocacy_service_name": la.advocacy_service_name,
        "advocacy_phone": la.advocacy_phone,
        "email_sender": "smtp",
        "sms_sender": "none",
    }
    bad = client.submit("/staff/admin/settings", {**settings, "advocacy_email": "not an address"})
    assert "Enter an email address in the right form" in bad.text
    saved = client.submit(
        "/staff/admin/settings",
        {
            **settings,
            "advocacy_email": "Help@Advocacy.example",
            "default_answer_audience": "iro",
        },
    )
    assert saved.status_code == 302
    stored = db.session.get(LocalAuthority, la.id)
    db.session.refresh(stored)
    assert (stored.advocacy_email, stored.default_answer_audience) == (
        "help@advocacy.example",
        "iro",
    )
    # A post without the choice (from an older page) leaves it as it is.
    client.submit("/staff/admin/settings", {**settings, "advocacy_email": ADVOCACY})
    db.session.refresh(stored)
    assert (stored.advocacy_email, stored.default_answer_audience) == (ADVOCACY, "iro")
