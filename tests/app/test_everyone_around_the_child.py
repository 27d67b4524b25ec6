"""Professionals' forms, one door for someone invited for several children, each role's
due day, and the facts each invitation records (sent, opened, started, sent back, on time).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, text

from portal.data.invitations import IssuedInvitation, refresh_due_dates
from portal.domain import contacts
from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    Consultation,
    ContactSignInLink,
    Delivery,
    Invitation,
    InviteeRole,
    LocalAuthority,
    Review,
)
from tests import factories
from tests.conftest import AuditingClient
from tests.fake_notify import FakeNotify
from tests.fake_smtp import FakeSmtp
from tests.journeys import SECRET, child_signs_in, staff_signs_in

PAT = "pat.carer@example.org"


def _words(page: str) -> str:
    """The page's text as read: tags (like the <bdi> around names) taken out."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def _invite_page(client: AuditingClient, review: Review) -> str:
    return client.get(f"/staff/reviews/{review.id}/invite").text


# --- Professionals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "asks", "never"),
    [
        ("health", "last health assessment", "Personal Education Plan"),
        ("education", "Personal Education Plan (PEP)", "health assessment"),
        ("other", "what do you do with the child", "Personal Education Plan"),
    ],
)
def test_an_iro_invites_each_kind_of_professional_who_gets_their_own_form(
    client: AuditingClient, make_client, kind: str, asks: str, never: str
) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    kid, review = factories.child(la, iro, name="Kasia")
    db.session.commit()
    staff_signs_in(client, iro.email)
    page = _invite_page(client, review)
    assert f'value="professional:{kind}"' in page
    made = client.submit(
        f"/staff/reviews/{review.id}/invite",
        {
            "role": f"professional:{kind}",
            "name": "Dr Example",
            "language": "en_GB",
            "channel": "letter",
            "email": "Dr.Example@Health.example",
        },
    )
    assert made.status_code == 200  # the printable letter
    invitation = db.session.scalar(select(Invitation).where(Invitation.review_id == review.id))
    assert invitation is not None
    assert (invitation.role, invitation.professional_kind) == ("professional", kind)
    assert invitation.contact_email_key == contacts.email_key("dr.example@health.example")
    assert invitation.due_on == review.planned_on - timedelta(days=1)
    assert invitation.sent_at is not None  # the letter was made to print

    code = re.search(
        r"[ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3}", made.text
    )
    assert code is not None
    professional = make_client()
    assert professional.submit("/sign-in", {"code": code.group(0)}).status_code == 302
    chose = professional.submit("/sign-in/secret", {"secret": SECRET, "confirm": SECRET})
    assert chose.headers["Location"] == "/consultation"
    first = professional.get("/consultation").headers["Location"]
    page = professional.get(first).text
    assert "Your views about Kasia, for the review on" in _words(page)
    assert asks in page
    whole = page + professional.get(first.rsplit("/", 1)[0] + "/check").text
    assert never not in whole
    assert "feel safe" not in whole

    staff_view = client.get(f"/staff/invitations/{invitation.id}").text
    label = {"health": "Health professional", "education": "Education professional"}.get(
        kind, "Other professional"
    )
    assert label in staff_view
    assert "Views due by" in staff_view


def test_a_professional_sends_views_and_the_iro_reads_them_marked_on_time(
    client: AuditingClient, make_client
) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, name="Kasia")
    issued = factories.invitation(
        review, role=InviteeRole.PROFESSIONAL, name="Ms Teach", professional_kind="education"
    )
    db.session.commit()
    teacher = make_client()
    first = child_signs_in(teacher, issued)
    cid = int(first.split("/")[2])
    saved = teacher.submit(first, {"pep_date": "October 2026", "attendance": "95_or_more"})
    assert saved.status_code == 302, saved.text
    assert (
        teacher.submit(
            f"/consultation/{cid}/submit", {}, from_url=f"/consultation/{cid}/check"
        ).status_code
        == 302
    )
    sent = teacher.get(f"/consultation/{cid}/sent").text
    assert (
        "the Independent Reviewing Officer, will read your views before the review meeting" in sent
    )
    assert "the meeting about you" not in sent

    consultation = db.session.get(Consultation, cid, populate_existing=True)
    assert consultation is not None and consultation.submitted_on_time is True
    staff_signs_in(client, iro.email)
    read = client.get(f"/staff/consultations/{cid}").text
    assert "October 2026" in read
    assert "Education professional" in client.get(f"/staff/reviews/{review.id}").text


def test_a_professional_invited_before_kinds_existed_gets_no_form_never_a_guess(
    make_client,
) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro)
    issued = factories.invitation(review, role=InviteeRole.PROFESSIONAL, name="Old Invite")
    db.session.commit()
    who = make_client()
    who.get(f"/i/{issued.link_token}")
    who.submit("/sign-in/secret", {"secret": SECRET, "confirm": SECRET})
    page = who.get("/consultation")
    assert page.status_code == 200 and "There is no form for you yet" in page.text
    assert db.session.scalar(select(Consultation)) is None


# --- One door -----------------------------------------------------------------------


def _pat_world() -> dict[str, object]:
    """Pat fosters three children in one authority; the same address is on an invitation
    in another authority (never joined), on a child's invitation (never joined), and on
    a placement that has ended (withdrawn)."""
    la = factories.authority()
    iro = factories.staff(la)
    other_la = factories.authority()
    other_iro = factories.staff(other_la, name="Other Iro")
    made: dict[str, object] = {"la": la, "iro": iro}
    for name, days in (("Aled", 10), ("Bea", 20), ("Cai", 30)):
        _kid, review = factories.child(la, iro, name=name, review_in_days=days)
        made[name] = factories.invitation(
            review, role=InviteeRole.CARER, name="Pat", email=PAT if name != "Bea" else PAT.upper()
        )
    _kid, ended = factories.child(la, iro, name="Dora", review_in_days=15)
    made["Dora"] = factories.invitation(ended, role=InviteeRole.CARER, name="Pat", email=PAT)
    _kid, elsewhere = factories.child(other_la, other_iro, name="Elsewhere", review_in_days=12)
    made["Elsewhere"] = factories.invitation(
        elsewhere, role=InviteeRole.CARER, name="Pat", email=PAT
    )
    _kid, own = factories.child(la, iro, name="Fen", review_in_days=14)
    made["Fen"] = factories.invitation(own, role=InviteeRole.CHILD, name="Fen", email=PAT)
    dora = made["Dora"]
    assert isinstance(dora, IssuedInvitation)
    dora.invitation.revoked_at = datetime.now(UTC)  # the placement ended
    db.session.commit()
    return made


def test_a_carer_with_three_children_signs_in_once_and_sees_each_named_with_due_dates(
    make_client,
) -> None:
    world = _pat_world()
    pat = make_client()
    pat.get(f"/i/{world['Bea'].link_token}")  # type: ignore[attr-defined]
    chose = pat.submit("/sign-in/secret", {"secret": SECRET, "confirm": SECRET})
    assert chose.headers["Location"] == "/your-invitations"
    door = pat.get("/your-invitations").text
    names = re.findall(r'<h2 class="heading-m" id="invitation-\d+">(?:<bdi>)?(\w+)', door)
    assert names == ["Aled", "Bea", "Cai"]  # soonest due first
    for left_out in ("Dora", "Elsewhere", "Fen"):
        assert left_out not in door
    aled = world["Aled"].invitation  # type: ignore[attr-defined]
    assert aled.due_on.strftime("%-d %B %Y") in door  # carers: 5 days before

    # Into Cai's form: every page says it is about Cai.
    opened = pat.submit(
        f"/your-invitations/{world['Cai'].invitation.id}", {}, from_url="/your-invitations"
    )  # type: ignore[attr-defined]
    assert opened.headers["Location"] == "/consultation"
    first = pat.get("/consultation").headers["Location"]
    page = _words(pat.get(first).text)
    assert "Your views about Cai" in page and "Aled" not in page and "Bea" not in page
    assert "See all your 3 invitations" in page
    cai = db.session.get(Consultation, int(first.split("/")[2]))
    assert cai is not None and cai.invitation_id == world["Cai"].invitation.id  # type: ignore[attr-defined]
    assert world["Cai"].invitation.first_opened_at is not None  # type: ignore[attr-defined]


@pytest.mark.parametrize("other", ["Dora", "Elsewhere", "Fen"])
def test_invitations_not_theirs_cannot_be_opened_through_the_door(make_client, other: str) -> None:
    world = _pat_world()
    pat = make_client()
    child_signs_in(pat, world["Aled"])  # type: ignore[arg-type]
    target = world[other].invitation.id  # type: ignore[attr-defined]
    refused = pat.submit(f"/your-invitations/{target}", {}, from_url="/your-invitations")
    assert refused.status_code == 404
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DENIED)
    ).one()
    assert (event.subject_type, event.subject_id, event.staff_user_id) == (
        "invitation",
        target,
        None,
    )
    # Still on Aled's: nothing moved.
    first = pat.get("/consultation").headers["Location"]
    assert "Your views about Aled" in _words(pat.get(first).text)


def test_two_tabs_on_two_children_lose_nothing(make_client) -> None:
    world = _pat_world()
    pat = make_client()
    aled_first = child_signs_in(pat, world["Aled"])  # type: ignore[arg-type]
    # Tab 2: Bea's form, through the door.
    pat.submit(f"/your-invitations/{world['Bea'].invitation.id}", {}, from_url="/your-invitations")  # type: ignore[attr-defined]
    bea_first = pat.get("/consultation").headers["Location"]
    assert bea_first != aled_first
    # Tab 1 was still on Aled's page: its answer goes to Aled's form.
    saved = pat.submit(aled_first, {"health_progress": "Aled is sleeping better"})
    assert saved.status_code == 302
    aled = db.session.get(Consultation, int(aled_first.split("/")[2]), populate_existing=True)
    assert aled is not None
    assert [a.value for a in aled.answers] == ["Aled is sleeping better"]
    bea = db.session.get(Consultation, int(bea_first.split("/")[2]), populate_existing=True)
    assert bea is not None and bea.answers == []


def test_a_placement_that_ended_leaves_the_list_and_what_was_sent_stays(
    client: AuditingClient, make_client
) -> None:
    world = _pat_world()
    pat = make_client()
    first = child_signs_in(pat, world["Aled"])  # type: ignore[arg-type]
    cid = int(first.split("/")[2])
    pat.submit(first, {"health_progress": "Settled well"})
    pat.submit(f"/consultation/{cid}/submit", {}, from_url=f"/consultation/{cid}/check")
    iro = world["iro"]
    staff_signs_in(client, iro.email)  # type: ignore[attr-defined]
    aled = world["Aled"].invitation  # type: ignore[attr-defined]
    client.submit(
        f"/staff/invitations/{aled.id}/revoke", {}, from_url=f"/staff/invitations/{aled.id}"
    )
    other = make_client()
    child_signs_in(other, world["Bea"])  # type: ignore[arg-type]
    door = other.get("/your-invitations").text
    assert "Aled" not in door and "Bea" in door and "Cai" in door
    read = client.get(f"/staff/consultations/{cid}").text
    assert "Settled well" in read


# --- A sign-in link by email or text -----------------------------------------------


def _link_from(body: str) -> str:
    found = re.search(r"http://localhost(/sign-in/link/[A-Za-z0-9_\-]+)", body)
    assert found is not None, body
    return found.group(1)


def test_a_sign_in_link_by_email_opens_all_the_carers_invitations_once(
    make_client, smtp: FakeSmtp
) -> None:
    world = _pat_world()
    la = world["la"]
    assert isinstance(la, LocalAuthority)
    la.email_sender = "smtp"
    db.session.commit()
    pat = make_client()
    asked = pat.submit("/sign-in/link", {"contact": "  PAT.Carer@example.org "})
    assert asked.status_code == 302 and "/sign-in/link/sent" in asked.headers["Location"]
    # One message, for this authority only (the other authority has no sender set up:
    # it records a failure, and never a link that joins the two).
    (mail,) = smtp.received
    assert mail.rcpt_to == [PAT]
    for name in ("Aled", "Bea", "Cai", "Elsewhere"):
        assert name not in mail.body  # no child is named in a message to a shared inbox
    link = _link_from(mail.body)
    assert db.session.scalars(select(ContactSignInLink)).all()[0].token_digest not in mail.body

    # A mail scanner following the link spends nothing.
    landed = pat.get(link)
    assert landed.status_code == 302 and landed.headers["Location"] == "/sign-in/link/continue"
    again_device = make_client()
    assert again_device.get(link).status_code == 302
    signed_in = pat.submit("/sign-in/link/continue", {})
    assert signed_in.headers["Location"] == "/your-invitations"
    door = pat.get("/your-invitations").text
    assert [n for n in ("Aled", "Bea", "Cai", "Dora", "Elsewhere", "Fen") if n in door] == [
        "Aled",
        "Bea",
        "Cai",
    ]
    # Used once: a second device with the same link gets nowhere.
    late = make_client()
    refused = late.get(link)
    assert refused.status_code == 404 and "does not work any more" in refused.text
    assert late.get("/your-invitations").status_code == 302
    # Nor does a device that opened it before it was spent, once it has been.
    again_refused = again_device.submit("/sign-in/link/continue", {})
    assert again_refused.status_code == 404 and "does not work any more" in again_refused.text


def test_a_sign_in_link_by_text_message(make_client, notify: FakeNotify) -> None:
    la = factories.authority()
    la.sms_sender = "notify"
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, name="Gwen")
    factories.invitation(review, role=InviteeRole.PARENT, name="Sol", phone="+447700900123")
    db.session.commit()
    sol = make_client()
    sol.submit("/sign-in/link", {"contact": "07700 900123"})
    (message,) = notify.received
    assert message.kind == "sms" and message.json["phone_number"] == "+447700900123"
    link = _link_from(message.json["personalisation"]["body"])
    sol.get(link)
    assert sol.submit("/sign-in/link/continue", {}).headers["Location"] == "/consultation"


@pytest.mark.parametrize(
    "contact", ["nobody@example.org", "07700 900999", "‮gro.elpmaxe@tap", "pat\x00@example.org"]
)
def test_an_unknown_or_strange_contact_gets_the_same_answer_and_nothing_is_sent(
    make_client, smtp: FakeSmtp, contact: str
) -> None:
    world = _pat_world()
    world["la"].email_sender = "smtp"  # type: ignore[attr-defined]
    db.session.commit()
    asker = make_client()
    answer = asker.submit("/sign-in/link", {"contact": contact})
    if answer.status_code == 200:  # not an email address or a mobile number at all
        assert "Enter an email address like name@example.com" in answer.text
    else:
        assert answer.headers["Location"].startswith("/sign-in/link/sent")
    assert smtp.received == []
    assert db.session.scalars(select(ContactSignInLink)).all() == []


def test_a_flood_of_requests_sends_a_few_links_an_hour_at_most(
    app: Flask, make_client, smtp: FakeSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", True)
    limiter.reset()
    world = _pat_world()
    world["la"].email_sender = "smtp"  # type: ignore[attr-defined]
    db.session.commit()
    for _ in range(6):
        make_client().submit("/sign-in/link", {"contact": PAT})
    assert len(smtp.received) == 3
    limiter.reset()


def test_an_unknown_or_spent_link_says_so_plainly(make_client) -> None:
    who = make_client()
    page = who.get("/sign-in/link/not-a-real-token")
    assert page.status_code == 404 and "Get a new sign-in link" in page.text
    assert who.get("/sign-in/link/continue").headers["Location"] == "/sign-in/link"


# --- Due days and the facts each invitation records ------------------------------------


def test_each_roles_due_day_follows_the_authority_and_moves_with_the_review(
    client: AuditingClient,
) -> None:
    la = factories.authority()
    la.parent_views_due_days = 7
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, review_in_days=20)
    parent = factories.invitation(review, role=InviteeRole.PARENT).invitation
    carer = factories.invitation(review, role=InviteeRole.CARER).invitation
    child = factories.invitation(review).invitation
    db.session.commit()
    assert parent.due_on == review.planned_on - timedelta(days=7)
    assert carer.due_on == review.planned_on - timedelta(days=5)
    assert child.due_on == review.planned_on - timedelta(days=1)
    review.planned_on += timedelta(days=10)
    refresh_due_dates(review)
    assert parent.due_on == review.planned_on - timedelta(days=7)


def test_late_views_are_accepted_and_marked_late(client: AuditingClient, make_client) -> None:
    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, review_in_days=2)
    issued = factories.invitation(review, role=InviteeRole.CARER, name="Cora")
    db.session.commit()
    assert issued.invitation.due_on < date.today()  # noqa: DTZ011 - carers: 5 days before
    cora = make_client()
    first = child_signs_in(cora, issued)
    cid = int(first.split("/")[2])
    cora.submit(first, {"health_progress": "Fine"})
    sent = cora.submit(f"/consultation/{cid}/submit", {}, from_url=f"/consultation/{cid}/check")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/sent")
    consultation = db.session.get(Consultation, cid, populate_existing=True)
    assert consultation is not None
    assert consultation.submitted_at is not None and consultation.submitted_on_time is False
    staff_signs_in(client, iro.email)
    page = client.get(f"/staff/invitations/{issued.invitation.id}").text
    assert "(late)" in page and "Submitted late" in page


def test_an_administrator_sets_due_days_and_bad_numbers_are_refused(
    client: AuditingClient,
) -> None:
    from portal.models import StaffRole

    la = factories.authority()
    admin = factories.staff(la, role=StaffRole.ADMINISTRATOR, name="Ada Admin")
    db.session.commit()
    staff_signs_in(client, admin.email)
    page = client.get("/staff/admin/settings").text
    assert "When views are due" in page
    fields = dict(re.findall(r'name="([a-z_]+)"\s+type="(?:text|email|tel)" value="([^"]*)"', page))
    fields.update(
        {
            "languages": la.enabled_languages.split()[1:],
            "email_sender": "none",
            "sms_sender": "none",
            "default_answer_audience": "meeting",
        }
    )
    for value in ("99", "-1", "two", "\u202e3"):
        refused = client.submit("/staff/admin/settings", {**fields, "parent_views_due_days": value})
        assert refused.status_code == 200
        assert "Enter a whole number of days from 0 to 21" in refused.text
    saved = client.submit("/staff/admin/settings", {**fields, "professional_views_due_days": "10"})
    assert saved.status_code == 302, re.findall(r'error-message">(.*?)<', saved.text, re.S)
    stored = db.session.get(LocalAuthority, la.id, populate_existing=True)
    assert stored is not None and stored.professional_views_due_days == 10
    assert stored.parent_views_due_days == 1


def test_an_invitation_records_sent_opened_started_and_sent_back(
    client: AuditingClient, make_client, smtp: FakeSmtp
) -> None:
    la = factories.authority()
    la.email_sender = "smtp"
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro)
    db.session.commit()
    staff_signs_in(client, iro.email)
    client.submit(
        f"/staff/reviews/{review.id}/invite",
        {
            "role": "parent",
            "name": "Sol",
            "language": "en_GB",
            "channel": "email",
            "email": "sol@example.org",
        },
    )
    invitation = db.session.scalar(select(Invitation))
    assert invitation is not None and invitation.sent_at is not None
    assert invitation.first_opened_at is None
    (mail,) = smtp.received
    link = re.search(r"http://localhost(/i/[A-Za-z0-9_\-]+)", mail.body)
    assert link is not None
    who = make_client()
    assert who.get(link.group(1)).status_code == 302
    who.submit("/sign-in/secret", {"secret": SECRET, "confirm": SECRET})
    first = who.get("/consultation").headers["Location"]
    cid = int(first.split("/")[2])
    who.submit(f"/consultation/{cid}/submit", {}, from_url=f"/consultation/{cid}/check")
    row = db.session.execute(
        select(
            Invitation.sent_at,
            Invitation.first_opened_at,
            Consultation.started_at,
            Consultation.submitted_at,
            Consultation.submitted_on_time,
        ).join(Consultation, Consultation.invitation_id == Invitation.id)
    ).one()
    assert all(value is not None for value in row[:4]) and row.submitted_on_time is True


def test_the_migration_gives_existing_invitations_the_due_day_they_always_had(
    app: Flask, database: None
) -> None:
    from flask_migrate import downgrade, upgrade

    la = factories.authority()
    iro = factories.staff(la)
    _kid, review = factories.child(la, iro, review_in_days=3)
    carer = factories.invitation(review, role=InviteeRole.CARER, email="Old@Example.org")
    child = factories.invitation(review)
    db.session.add(
        Delivery(
            local_authority_id=la.id,
            invitation=carer.invitation,
            purpose="invitation",
            channel="letter",
            status="printed",
        )
    )
    db.session.add(
        Consultation(
            local_authority_id=la.id,
            invitation=child.invitation,
            form_key="age_13_to_17",
            form_version=1,
            status="submitted",
            submitted_at=datetime.now(UTC),
        )
    )
    db.session.commit()
    ids = (carer.invitation.id, child.invitation.id, review.planned_on)
    db.session.remove()
    downgrade(revision="0006_answer_audiences")
    db.session.remove()
    upgrade()
    rows = {
        r.id: r
        for r in db.session.execute(
            text("SELECT id, due_on, contact_email_key, sent_at FROM invitation")
        )
    }
    planned_on = ids[2]
    assert str(rows[ids[0]].due_on) == str(planned_on - timedelta(days=5))
    assert str(rows[ids[1]].due_on) == str(planned_on - timedelta(days=1))
    assert rows[ids[0]].contact_email_key == contacts.email_key("old@example.org")
    assert rows[ids[0]].sent_at is not None and rows[ids[1]].sent_at is None
    on_time = db.session.execute(text("SELECT submitted_on_time FROM consultation")).scalar_one()
    assert bool(on_time) is True
