"""Reminders from cron (never twice) and safety alerts to staff (never the child's words)."""

from __future__ import annotations

import re
import socket
import threading
from datetime import timedelta

import pytest
from babel.dates import format_date
from flask import Flask
from sqlalchemy import select

from portal.data import deliveries
from portal.extensions import db
from portal.models import (
    Consultation,
    ConsultationStatus,
    Delivery,
    InviteeRole,
    Review,
    ReviewStatus,
    StaffRole,
    utcnow,
)
from portal.notifications.reminders import ReminderCounts, send_due_reminders
from tests import factories
from tests.fake_notify import FakeNotify
from tests.fake_smtp import FakeSmtp
from tests.journeys import child_signs_in

CODE = re.compile(r"[ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3}")


def _authority(email_sender: str = "notify", sms_sender: str = "notify"):  # type: ignore[no-untyped-def]
    la = factories.authority()
    la.email_sender, la.sms_sender = email_sender, sms_sender
    iro = factories.staff(la)
    return la, iro


def _invited(  # type: ignore[no-untyped-def]
    review: Review, name: str, role: str = "child", channel: str = "email"
):
    invitation = factories.invitation(review, role=InviteeRole(role), name=name).invitation
    invitation.channel = channel
    if channel == "email":
        invitation.contact_email = f"{name.lower()}@example.com"
    elif channel == "sms":
        invitation.contact_phone = "+447700900123"
    return invitation


# Reminders ------------------------------------------------------------------------------


def test_a_reminder_is_sent_once_with_the_due_date_and_no_link_or_code(
    database: None,
    notify: FakeNotify,
) -> None:
    la, iro = _authority()
    _kid, review = factories.child(la, iro, review_in_days=10)
    invitation = _invited(review, "Robin")
    db.session.commit()
    today = review.planned_on - timedelta(days=4)  # due the day before; reminded 3 days before

    assert send_due_reminders(today) == ReminderCounts(sent=1, failed=0, already_sent=0)
    (reminder,) = notify.received
    assert reminder.json["email_address"] == "robin@example.com"
    body = reminder.json["personalisation"]["body"]
    due = format_date(review.planned_on - timedelta(days=1), format="long", locale="en_GB")
    assert due in body and "meeting about you" in body
    assert "Use the link or code in your invitation" in body and "ask your IRO" in body
    assert "/i/" not in body and "http" not in body and not CODE.search(body)
    delivery = db.session.scalars(select(Delivery)).one()
    assert (delivery.purpose, delivery.status, delivery.once_key) == (
        "reminder",
        "sent",
        f"reminder:{invitation.id}",
    )


def test_a_second_run_sends_nothing(database: None, notify: FakeNotify) -> None:
    la, iro = _authority()
    _kid, review = factories.child(la, iro, review_in_days=10)
    _invited(review, "Robin")
    db.session.commit()
    today = review.planned_on - timedelta(days=2)
    first = send_due_reminders(today)
    second = send_due_reminders(today)
    later = send_due_reminders(today + timedelta(days=1))
    assert (first.sent, first.already_sent) == (1, 0)
    assert (second.sent, second.already_sent) == (0, 1)
    assert (later.sent, later.already_sent) == (0, 1)
    assert len(notify.received) == 1


def test_a_run_that_loses_the_race_for_the_once_key_does_not_send(
    database: None, notify: FakeNotify
) -> None:
    la, iro = _authority()
    _kid, review = factories.child(la, iro, review_in_days=10)
    invitation = _invited(review, "Robin")
    db.session.commit()
    claimed = deliveries.claim_once(
        invitation, purpose="reminder", channel="email", once_key=f"reminder:{invitation.id}"
    )
    assert claimed is not None
    again = deliveries.claim_once(
        invitation, purpose="reminder", channel="email", once_key=f"reminder:{invitation.id}"
    )
    assert again is None  # the database refused the second insert
    db.session.commit()  # the session is still usable after the refusal
    counts = send_due_reminders(review.planned_on - timedelta(days=3))
    assert (counts.sent, counts.already_sent) == (0, 1)
    assert notify.received == []


def test_two_runs_at_the_same_moment_send_one_reminder(
    app: Flask, database: None, notify: FakeNotify, monkeypatch: pytest.MonkeyPatch
) -> None:
    la, iro = _authority()
    _kid, review = factories.child(la, iro, review_in_days=10)
    _invited(review, "Robin")
    db.session.commit()
    # Both runs get past the quick look at once: only the database's unique key decides.
    monkeypatch.setattr(deliveries, "already_claimed", lambda key: False)
    today = review.planned_on - timedelta(days=3)
    start = threading.Barrier(2)
    results: list[ReminderCounts | BaseException] = []

    def cron() -> None:
        with app.app_context():
            start.wait(timeout=10)
            try:
                results.append(send_due_reminders(today))
            except BaseException as error:  # reported below, not lost in the thread
                results.append(error)

    runs = [threading.Thread(target=cron) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=30)
    assert all(isinstance(r, ReminderCounts) for r in results), results
    assert sorted((r.sent, r.already_sent) for r in results) == [(0, 1), (1, 0)]  # type: ignore[union-attr]
    assert len(notify.received) == 1
    db.session.expire_all()
    assert len(db.session.scalars(select(Delivery)).all()) == 1


def test_reminders_skip_what_is_done_stopped_printed_or_not_yet_due(
    database: None, notify: FakeNotify
) -> None:
    la, iro = _authority()
    _a, review = factories.child(la, iro, review_in_days=10)
    today = review.planned_on - timedelta(days=3)
    due = _invited(review, "Due")
    submitted = _invited(review, "Submitted")
    db.session.add(
        Consultation(
            local_authority_id=la.id,
            invitation=submitted,
            form_key="child_13_17",
            form_version=1,
            status=ConsultationStatus.SUBMITTED,
            submitted_at=utcnow(),
        )
    )
    _invited(review, "Revoked").revoked_at = utcnow()
    _invited(review, "Locked").locked_at = utcnow()
    _invited(review, "Expired").expires_at = utcnow() - timedelta(minutes=1)
    _invited(review, "Letter", channel="letter")
    _b, early_review = factories.child(la, iro, review_in_days=30)
    _invited(early_review, "Early")
    _c, cancelled_review = factories.child(la, iro, review_in_days=10)
    cancelled_review.planned_on = review.planned_on
    cancelled_review.status = ReviewStatus.CANCELLED
    _invited(cancelled_review, "Cancelled")
    _d, today_review = factories.child(la, iro)
    today_review.planned_on = today
    _invited(today_review, "Today")
    db.session.commit()

    counts = send_due_reminders(today)
    assert [r.json["email_address"] for r in notify.received] == ["due@example.com"]
    assert (counts.sent, counts.failed, counts.already_sent) == (1, 0, 0)
    assert db.session.scalars(select(Delivery)).one().invitation_id == due.id


def test_carers_are_reminded_earlier_because_their_views_are_due_5_days_before(
    database: None,
    notify: FakeNotify,
) -> None:
    la, iro = _authority()
    _kid, review = factories.child(la, iro, review_in_days=20)
    _invited(review, "Pat", role="carer")
    _invited(review, "Morgan", role="parent")
    db.session.commit()
    carer_day = review.planned_on - timedelta(days=8)  # due 5 days before, reminded 3 before

    send_due_reminders(carer_day - timedelta(days=1))
    assert notify.received == []
    send_due_reminders(carer_day)
    assert [r.json["email_address"] for r in notify.received] == ["pat@example.com"]
    body = notify.received[0].json["personalisation"]["body"]
    carer_due = format_date(review.planned_on - timedelta(days=5), format="long", locale="en_GB")
    assert carer_due in body and "the review meeting" in body

    send_due_reminders(review.planned_on - timedelta(days=4))
    assert [r.json["email_address"] for r in notify.received] == [
        "pat@example.com",
        "morgan@example.com",
    ]


def test_text_message_reminders_and_failures_are_recorded_not_retried(
    database: None,
    notify: FakeNotify,
) -> None:
    la, iro = _authority()
    _kid, review = factories.child(la, iro, review_in_days=10)
    _invited(review, "Robin", channel="sms")
    db.session.commit()
    notify.fail_with(400, "phone_number Not a UK mobile number")
    counts = send_due_reminders(review.planned_on - timedelta(days=3))
    assert (counts.sent, counts.failed) == (0, 1)
    delivery = db.session.scalars(select(Delivery)).one()
    assert (delivery.channel, delivery.status) == ("sms", "failed")
    assert "Not a UK mobile number" in delivery.error
    notify.failure = None
    again = send_due_reminders(review.planned_on - timedelta(days=2))
    assert (again.sent, again.already_sent) == (0, 1)
    assert notify.received == []


def test_reminders_are_in_the_invitees_language(database: None, notify: FakeNotify) -> None:
    la, iro = _authority()
    _kid, review = factories.child(la, iro, review_in_days=10)
    invitation = _invited(review, "Amir", channel="sms")
    invitation.language = "ar"
    db.session.commit()
    send_due_reminders(review.planned_on - timedelta(days=3))
    body = notify.received[0].json["personalisation"]["body"]
    due = format_date(review.planned_on - timedelta(days=1), format="long", locale="ar")
    assert due in body


def test_the_cron_command_prints_what_it_did(
    database: None, app: Flask, notify: FakeNotify
) -> None:
    la, iro = _authority()
    _kid, review = factories.child(la, iro, review_in_days=10)
    _invited(review, "Robin")
    db.session.commit()
    runner = app.test_cli_runner()
    day = (review.planned_on - timedelta(days=3)).isoformat()
    first = runner.invoke(args=["send-reminders", "--today", day])
    assert first.exit_code == 0, first.output
    assert (
        f"Reminders for {day}: 0 queued for the worker, 1 sent, 0 failed, 0 already sent before."
        in first.output
    )
    second = runner.invoke(args=["send-reminders", "--today", day])
    assert "0 sent, 0 failed, 1 already sent before." in second.output
    bad = runner.invoke(args=["send-reminders", "--today", "31/12/2026"])
    assert bad.exit_code != 0
    helped = runner.invoke(args=["send-reminders", "--help"])
    assert "printed letters are not reminded automatically" in " ".join(helped.output.split())


# Safety alerts ------------------------------------------------------------------------------


def _child_says_not_safe(make_client, issued) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    child.submit(first, {"meeting_where": "Secret meeting place"})
    saved = child.submit(f"/consultation/{cid}/home", {"feel_safe_home": "no"}, from_url=first)
    assert saved.status_code == 302 and "/help" in saved.headers["Location"]
    assert child.get(saved.headers["Location"]).status_code == 200  # the child's page still works
    return cid, child


def test_the_iro_is_told_at_once_by_email_and_text_without_the_childs_words(
    make_client, smtp: FakeSmtp, notify: FakeNotify
) -> None:
    la, iro = _authority(email_sender="smtp", sms_sender="notify")
    iro.phone = "07700 900456"
    kid, review = factories.child(la, iro, name="Zephyrine")
    issued = factories.invitation(review, name="Zephyrine")
    db.session.commit()
    cid, _child = _child_says_not_safe(make_client, issued)

    (mail,) = smtp.received
    assert mail.rcpt_to == [iro.email]
    assert mail.message["Subject"] == "A child's consultation needs your attention now"
    (text,) = notify.received
    assert text.kind == "sms" and text.json["phone_number"] == "+447700900456"
    for words in (mail.message["Subject"] + mail.body, text.json["personalisation"]["body"]):
        assert f"http://localhost/staff/consultations/{cid}" in words
        assert (
            "A child or young person's answers in their consultation need your attention" in words
        )
        for private in ("Zephyrine", "Secret meeting place", "feel_safe", "safe at home"):
            assert private not in words
    alerts = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
    assert [(a.purpose, a.channel, a.status, a.staff_user_id) for a in alerts] == [
        ("safety_alert", "email", "sent", iro.id),
        ("safety_alert", "sms", "sent", iro.id),
    ]


def test_when_the_iro_is_away_the_cover_and_the_managers_are_told_too(
    make_client, smtp: FakeSmtp
) -> None:
    la, iro = _authority(email_sender="smtp", sms_sender="none")
    cover = factories.staff(la, name="Cover")
    manager = factories.staff(la, name="Manager", role=StaffRole.MANAGER)
    former = factories.staff(la, name="Former", role=StaffRole.MANAGER)
    former.active = False
    factories.staff(la, name="Admin", role=StaffRole.ADMINISTRATOR)
    other_manager = factories.staff(factories.authority(), role=StaffRole.MANAGER)
    iro.away, iro.covered_by_id = True, cover.id
    kid, review = factories.child(la, iro)
    issued = factories.invitation(review)
    db.session.commit()
    _child_says_not_safe(make_client, issued)

    told = [mail.rcpt_to[0] for mail in smtp.received]
    assert told == [iro.email, cover.email, manager.email]
    assert other_manager.email not in told and former.email not in told
    assert "marked as away" not in smtp.received[0].body
    assert "You are getting this because their IRO is marked as away." in smtp.received[1].body
    recipients = db.session.scalars(select(Delivery.staff_user_id).order_by(Delivery.id)).all()
    assert recipients == [iro.id, cover.id, manager.id]


def test_when_the_iros_account_is_disabled_the_managers_are_told(
    make_client, smtp: FakeSmtp
) -> None:
    la, iro = _authority(email_sender="smtp", sms_sender="none")
    manager = factories.staff(la, name="Manager", role=StaffRole.MANAGER)
    kid, review = factories.child(la, iro)
    issued = factories.invitation(review)
    iro.active = False
    db.session.commit()
    _child_says_not_safe(make_client, issued)
    assert [mail.rcpt_to for mail in smtp.received] == [[manager.email]]


def test_with_letters_only_nothing_is_sent_and_nothing_recorded(make_client) -> None:
    la, iro = _authority(email_sender="none", sms_sender="none")
    kid, review = factories.child(la, iro)
    issued = factories.invitation(review)
    db.session.commit()
    _child_says_not_safe(make_client, issued)
    assert db.session.scalars(select(Delivery)).all() == []


def test_a_failed_alert_is_recorded_and_the_child_never_sees_an_error(
    app: Flask, make_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", closed_port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "alerts@testshire.example")
    la, iro = _authority(email_sender="smtp", sms_sender="notify")  # Notify not configured
    kid, review = factories.child(la, iro)
    issued = factories.invitation(review)
    db.session.commit()
    _child_says_not_safe(make_client, issued)
    alerts = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
    assert [(a.channel, a.status) for a in alerts] == [("email", "failed"), ("sms", "failed")]
    assert "Could not reach the email server" in alerts[0].error
    # The IRO's phone in the factory is a landline: that is said plainly.
    assert "no UK mobile number" in alerts[1].error


def test_even_a_crash_while_alerting_leaves_the_childs_page_working(
    make_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import portal.notifications.alerts as alerts

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("mail system on fire")

    monkeypatch.setattr(alerts, "sender_for", broken)
    la, iro = _authority(email_sender="smtp", sms_sender="none")
    kid, review = factories.child(la, iro)
    issued = factories.invitation(review)
    db.session.commit()
    _child_says_not_safe(make_client, issued)
    assert db.session.scalars(select(Delivery)).all() == []
