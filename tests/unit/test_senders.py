"""Senders against real local servers, and the address checks staff input goes through."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from portal.models import DeliveryStatus, LocalAuthority
from portal.notifications.addresses import looks_like_email, normalise_uk_mobile
from portal.notifications.senders import (
    Channel,
    LetterSender,
    Message,
    NotifyEmailSender,
    NotifySmsSender,
    SmtpSender,
    UnavailableSender,
    channels_for,
    send_safely,
    sender_for,
)
from tests.fake_notify import FakeNotify
from tests.fake_smtp import FakeSmtp

ARABIC = "مرحبا أمير، رأيك مهم. 🙂"


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    with FakeSmtp() as server:
        yield server


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with FakeNotify() as server:
        yield server


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700 900123", "+447700900123"),
        ("07700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("+447700900123", "+447700900123"),
        ("0044 7700 900 123", "+447700900123"),
        ("447700900123", "+447700900123"),
        ("+44 (0)7700 900-123", "+447700900123"),
        ("(07700) 900.123", "+447700900123"),
        ("٠٧٧٠٠٩٠٠١٢٣", "+447700900123"),  # Arabic-Indic digits
        ("０７７００９００１２３", "+447700900123"),  # full-width digits
    ],
)
def test_uk_mobile_numbers_are_accepted_as_typed(typed: str, expected: str) -> None:
    assert normalise_uk_mobile(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "01632 960123",  # a landline cannot take a text
        "0770090012",  # too short
        "077009001234",  # too long
        "+33 6 12 34 56 78",  # not UK
        "07700 9001two",
        "07700+900123",
        "7700900123",
        "\x00",
        "0" * 5000,
    ],
)
def test_other_numbers_are_not_uk_mobiles(typed: str) -> None:
    assert normalise_uk_mobile(typed) is None


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("sam@example.com", True),
        ("sam.o'neill+school@mail.example.co.uk", True),
        ("sam", False),
        ("sam@", False),
        ("sam@example", False),
        ("sam@@example.com", False),
        ("sam @example.com", False),
        ("sam@example.com, boss@example.com", False),
        ("sam@example.com\r\nBcc: x@example.com", False),
        (".sam@example.com", False),
        ("sa..m@example.com", False),
        ("أمير@example.com", False),  # mail servers cannot all take these
        ("a" * 250 + "@example.com", False),
    ],
)
def test_email_addresses_are_checked(typed: str, ok: bool) -> None:
    assert looks_like_email(typed) is ok


def test_smtp_sends_plain_utf8_email_from_mail_from(smtp: FakeSmtp) -> None:
    sender = SmtpSender(
        host="127.0.0.1", port=smtp.port, mail_from="iro-team@testshire.example", starttls=False
    )
    result = sender.send(Message(to="amir@example.com", subject="رأيك " + ARABIC, body=ARABIC))
    assert result.ok and result.status == DeliveryStatus.SENT and result.provider_reference
    (mail,) = smtp.received
    assert mail.mail_from == "iro-team@testshire.example"
    assert mail.rcpt_to == ["amir@example.com"]
    assert mail.message["From"] == "iro-team@testshire.example"
    assert mail.message["Subject"] == "رأيك " + ARABIC
    assert mail.message.get_content_type() == "text/plain"
    assert mail.message.get_content_charset() == "utf-8"
    assert mail.body.strip() == ARABIC


def test_smtp_logs_in_when_a_user_name_is_set(smtp: FakeSmtp) -> None:
    smtp.username, smtp.password = "portal", "s3cret"
    good = SmtpSender(
        host="127.0.0.1",
        port=smtp.port,
        mail_from="a@testshire.example",
        username="portal",
        password="s3cret",
        starttls=False,
    )
    assert good.send(Message("b@example.com", "Hi", "Hello")).ok
    assert smtp.received[0].login == "portal"
    wrong = SmtpSender(
        host="127.0.0.1",
        port=smtp.port,
        mail_from="a@testshire.example",
        username="portal",
        password="wrong",
        starttls=False,
    )
    result = wrong.send(Message("b@example.com", "Hi", "Hello"))
    assert not result.ok and "SMTP_USERNAME" in result.error


def test_smtp_failures_become_readable_failed_results(smtp: FakeSmtp) -> None:
    smtp.refuse_recipients = {"gone@example.com"}
    sender = SmtpSender(host="127.0.0.1", port=smtp.port, mail_from="a@t.example", starttls=False)
    refused = sender.send(Message("gone@example.com", "Hi", "Hello"))
    assert refused.status == DeliveryStatus.FAILED
    assert "would not take the address gone@example.com" in refused.error

    # STARTTLS asked for, but this server cannot do it: not sent in the clear.
    wants_tls = SmtpSender(host="127.0.0.1", port=smtp.port, mail_from="a@t.example")
    no_tls = wants_tls.send(Message("b@example.com", "Hi", "Hello"))
    assert not no_tls.ok and "STARTTLS" in no_tls.error
    assert len(smtp.received) == 0

    nobody = SmtpSender(host="127.0.0.1", port=_closed_port(), mail_from="a@t.example", timeout=2)
    down = nobody.send(Message("b@example.com", "Hi", "Hello"))
    assert not down.ok and "Could not reach the email server" in down.error

    injected = sender.send(Message("b@example.com", "Hi\r\nBcc: evil@example.com", "Hello"))
    assert not injected.ok and len(smtp.received) == 0


def test_notify_email_is_sent_with_a_signed_token_template_and_personalisation(
    notify: FakeNotify,
) -> None:
    sender = NotifyEmailSender(api_key=notify.api_key, base_url=notify.base_url, template_id="t-1")
    result = sender.send(Message("amir@example.com", "Your views", ARABIC))
    assert result.ok and result.provider_reference
    (sent,) = notify.received
    assert sent.kind == "email"
    assert sent.json == {
        "email_address": "amir@example.com",
        "template_id": "t-1",
        "personalisation": {"subject": "Your views", "body": ARABIC},
    }


def test_notify_sms_is_sent_with_its_own_template(notify: FakeNotify) -> None:
    sender = NotifySmsSender(api_key=notify.api_key, base_url=notify.base_url, template_id="s-1")
    assert sender.send(Message("+447700900123", "", "Hello")).ok
    assert notify.received[0].kind == "sms"
    assert notify.received[0].json == {
        "phone_number": "+447700900123",
        "template_id": "s-1",
        "personalisation": {"body": "Hello"},
    }


def test_notify_failures_become_readable_failed_results(notify: FakeNotify) -> None:
    sender = NotifySmsSender(api_key=notify.api_key, base_url=notify.base_url, template_id="s-1")
    notify.fail_with(400, "Can't send to this recipient using a team-only API key")
    refused = sender.send(Message("+447700900123", "", "Hello"))
    assert refused.status == DeliveryStatus.FAILED
    assert refused.error == (
        "GOV.UK Notify did not send it (400): "
        "Can't send to this recipient using a team-only API key"
    )

    notify.fail_with(500)
    broken = sender.send(Message("+447700900123", "", "Hello"))
    assert not broken.ok and "(500)" in broken.error

    notify.failure = None
    other_key = FakeNotify()
    forged = NotifySmsSender(
        api_key=other_key.api_key[:-36] + other_key.secret,  # right shape, wrong secret
        base_url=notify.base_url,
        template_id="s-1",
    )
    rejected = forged.send(Message("+447700900123", "", "Hello"))
    assert not rejected.ok and "403" in rejected.error and notify.rejected_tokens == 1
    assert notify.received == []

    down = NotifySmsSender(
        api_key=notify.api_key,
        base_url=f"http://127.0.0.1:{_closed_port()}",
        template_id="s-1",
        timeout=2,
    )
    unreachable = down.send(Message("+447700900123", "", "Hello"))
    assert not unreachable.ok and "Could not reach GOV.UK Notify" in unreachable.error


def _authority(email: str = "none", sms: str = "none") -> LocalAuthority:
    return LocalAuthority(email_sender=email, sms_sender=sms)


def test_channels_follow_the_authoritys_settings_with_the_letter_always() -> None:
    assert channels_for(_authority()) == [Channel.LETTER]
    assert channels_for(_authority("smtp")) == [Channel.LETTER, Channel.EMAIL]
    assert channels_for(_authority("notify", "notify")) == [
        Channel.LETTER,
        Channel.EMAIL,
        Channel.SMS,
    ]


def test_senders_are_picked_from_settings_and_missing_settings_fail_clearly() -> None:
    full = {
        "SMTP_HOST": "mail.example",
        "SMTP_PORT": 2525,
        "MAIL_FROM": "a@example.com",
        "NOTIFY_API_KEY": FakeNotify().api_key,
        "NOTIFY_BASE_URL": "http://127.0.0.1:9",
        "NOTIFY_EMAIL_TEMPLATE_ID": "e",
        "NOTIFY_SMS_TEMPLATE_ID": "s",
    }
    assert isinstance(sender_for(_authority(), "letter", {}), LetterSender)
    assert LetterSender().send(Message("", "", "")).status == DeliveryStatus.PRINTED
    smtp = sender_for(_authority("smtp"), "email", full)
    assert isinstance(smtp, SmtpSender) and smtp.port == 2525
    assert isinstance(sender_for(_authority("notify"), "email", full), NotifyEmailSender)
    assert isinstance(sender_for(_authority(sms="notify"), "sms", full), NotifySmsSender)

    cases = [
        (_authority("smtp"), "email", {}, "SMTP_HOST and MAIL_FROM not set"),
        (_authority("notify"), "email", {}, "NOTIFY_API_KEY is not set"),
        (_authority("notify"), "email", {**full, "NOTIFY_API_KEY": "short"}, "does not look like"),
        (
            _authority(sms="notify"),
            "sms",
            {**full, "NOTIFY_SMS_TEMPLATE_ID": ""},
            "NOTIFY_SMS_TEMPLATE_ID is not set",
        ),
        (_authority(), "email", full, "does not send email"),
        (_authority(), "sms", full, "does not send text messages"),
    ]
    for authority, channel, config, reason in cases:
        sender = sender_for(authority, channel, config)
        assert isinstance(sender, UnavailableSender)
        result = sender.send(Message("x@example.com", "s", "b"))
        assert result.status == DeliveryStatus.FAILED and reason in result.error


def test_send_safely_turns_a_crash_into_a_failed_result() -> None:
    class Broken:
        channel = Channel.EMAIL

        def send(self, message: Message) -> None:
            raise RuntimeError("boom")

    result = send_safely(Broken(), Message("x@example.com", "s", "b"))  # type: ignore[arg-type]
    assert not result.ok and "RuntimeError" in result.error
