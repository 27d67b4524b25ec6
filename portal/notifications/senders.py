"""Senders: the ways a message can reach someone, chosen per authority.

Plain Python (no Flask): a sender takes a Message and returns a SendResult. It never
raises because a message could not be delivered; it says why, in words an IRO can act
on. Missing settings give a sender that fails every message with a clear reason, so a
half-configured service shows a failed delivery instead of crashing. A failure says whether
trying again later may work (the server was down or busy) or cannot (a refused address,
missing settings), so the queue retries only what a retry can fix.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from enum import StrEnum
from typing import Any, Protocol

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from portal.models import DeliveryStatus, LocalAuthority

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10
NOTIFY_TIMEOUT_SECONDS = 10
MAX_ERROR_LENGTH = 500


class Channel(StrEnum):
    LETTER = "letter"
    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True)
class Message:
    """One message to one person. ``to`` is an email address or a +44 mobile number."""

    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status: DeliveryStatus
    provider_reference: str = ""
    error: str = ""
    # A failure that may pass: the server could not be reached, timed out or was busy.
    may_retry: bool = False

    @classmethod
    def sent(cls, reference: str = "") -> SendResult:
        return cls(True, DeliveryStatus.SENT, provider_reference=reference[:100])

    @classmethod
    def failed(cls, error: str, *, may_retry: bool = False) -> SendResult:
        return cls(
            False,
            DeliveryStatus.FAILED,
            error=" ".join(error.split())[:MAX_ERROR_LENGTH],
            may_retry=may_retry,
        )


class Sender(Protocol):
    channel: Channel

    def send(self, message: Message) -> SendResult: ...


class LetterSender:
    """The printable letter: the page itself is the message, and staff print it."""

    channel = Channel.LETTER

    def send(self, message: Message) -> SendResult:
        return SendResult(True, DeliveryStatus.PRINTED)


@dataclass
class UnavailableSender:
    """A channel that cannot work as set up: every message fails with the reason."""

    channel: Channel
    reason: str

    def send(self, message: Message) -> SendResult:
        return SendResult.failed(self.reason)


@dataclass
class SmtpSender:
    """Plain-text UTF-8 email through an SMTP server (STARTTLS, or TLS on port 465)."""

    host: str
    port: int
    mail_from: str
    username: str = ""
    password: str = ""
    starttls: bool = True
    timeout: float = SMTP_TIMEOUT_SECONDS
    channel: Channel = Channel.EMAIL

    def _email(self, message: Message) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.mail_from
        email["To"] = message.to
        email["Subject"] = message.subject
        domain = self.mail_from.rpartition("@")[2] or None
        email["Message-ID"] = make_msgid(domain=domain)
        # Base64 for other scripts: any mail server takes it, whatever it says about 8-bit.
        email.set_content(
            message.body, charset="utf-8", cte=None if message.body.isascii() else "base64"
        )
        return email

    def _connect(self) -> smtplib.SMTP:
        if self.port == 465:
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)

    def send(self, message: Message) -> SendResult:
        try:
            email = self._email(message)
        except (ValueError, TypeError) as error:
            return SendResult.failed(f"The email could not be written: {error}")
        try:
            with self._connect() as smtp:
                if self.starttls and self.port != 465:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused:
            return SendResult.failed(
                f"The email server would not take the address {message.to}. Check it."
            )
        except smtplib.SMTPAuthenticationError:
            return SendResult.failed(
                "The email server did not accept the portal's user name or password "
                "(SMTP_USERNAME, SMTP_PASSWORD). Ask your administrator."
            )
        except smtplib.SMTPServerDisconnected as error:
            return SendResult.failed(
                f"The email server at {self.host}:{self.port} hung up ({error}).", may_retry=True
            )
        except smtplib.SMTPResponseException as error:
            # 4xx answers mean "not now" (busy, greylisting); 5xx mean "never".
            return SendResult.failed(
                f"The email server refused the message: {error}",
                may_retry=400 <= error.smtp_code < 500,
            )
        except smtplib.SMTPException as error:
            return SendResult.failed(f"The email server refused the message: {error}")
        except (OSError, TimeoutError) as error:
            return SendResult.failed(
                f"Could not reach the email server at {self.host}:{self.port} ({error}). "
                "Try again later, or ask your administrator.",
                may_retry=True,
            )
        return SendResult.sent(str(email["Message-ID"]))


def _notify_may_retry(error: APIError) -> bool:
    """No answer, too many requests, or Notify's own fault: worth another try later."""
    return error.response is None or error.status_code == 429 or error.status_code >= 500


def _notify_error(error: APIError) -> str:
    if error.response is None:
        return (
            "Could not reach GOV.UK Notify: there was no answer, or it took too long. "
            "Try again later."
        )
    message = error.message
    if isinstance(message, list):
        message = "; ".join(
            str(item.get("message", item)) if isinstance(item, dict) else str(item)
            for item in message
        )
    return f"GOV.UK Notify did not send it ({error.status_code}): {message}"


@dataclass
class _NotifySender:
    api_key: str
    base_url: str
    template_id: str
    timeout: float = NOTIFY_TIMEOUT_SECONDS

    def _call(self, client: NotificationsAPIClient, message: Message) -> dict[str, Any]:
        raise NotImplementedError

    def send(self, message: Message) -> SendResult:
        client = NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)
        try:
            response = self._call(client, message)
        except APIError as error:
            return SendResult.failed(_notify_error(error), may_retry=_notify_may_retry(error))
        finally:
            client.request_session.close()
        reference = response.get("id", "") if isinstance(response, dict) else ""
        return SendResult.sent(str(reference))


@dataclass
class NotifyEmailSender(_NotifySender):
    """Email through GOV.UK Notify: one template whose content is ((subject)) and ((body))."""

    channel: Channel = Channel.EMAIL

    def _call(self, client: NotificationsAPIClient, message: Message) -> dict[str, Any]:
        response: dict[str, Any] = client.send_email_notification(
            email_address=message.to,
            template_id=self.template_id,
            personalisation={"subject": message.subject, "body": message.body},
        )
        return response


@dataclass
class NotifySmsSender(_NotifySender):
    """Text messages through GOV.UK Notify: one template whose content is ((body))."""

    channel: Channel = Channel.SMS

    def _call(self, client: NotificationsAPIClient, message: Message) -> dict[str, Any]:
        response: dict[str, Any] = client.send_sms_notification(
            phone_number=message.to,
            template_id=self.template_id,
            personalisation={"body": message.body},
        )
        return response


def send_safely(sender: Sender, message: Message) -> SendResult:
    """Send, turning even an unexpected error into a failed result: callers never crash."""
    try:
        return sender.send(message)
    except Exception as error:
        log.exception("sending through %s failed unexpectedly", type(sender).__name__)
        return SendResult.failed(f"Something went wrong while sending: {type(error).__name__}.")


def _notify_key_problem(api_key: str) -> str | None:
    if not api_key:
        return "NOTIFY_API_KEY is not set"
    # name-<service id>-<secret>: the client reads the two UUIDs from the end.
    try:
        uuid.UUID(api_key[-73:-37])
        uuid.UUID(api_key[-36:])
    except ValueError:
        return "NOTIFY_API_KEY does not look like a GOV.UK Notify API key"
    return None


def _notify(
    channel: Channel, config: Mapping[str, Any], template_setting: str
) -> NotifyEmailSender | NotifySmsSender | UnavailableSender:
    api_key = str(config.get("NOTIFY_API_KEY") or "")
    template_id = str(config.get(template_setting) or "")
    problem = _notify_key_problem(api_key) or (
        None if template_id else f"{template_setting} is not set"
    )
    if problem:
        return UnavailableSender(
            channel, f"GOV.UK Notify is not set up: {problem}. Ask your administrator."
        )
    base_url = str(config.get("NOTIFY_BASE_URL") or "https://api.notifications.service.gov.uk")
    kind = NotifyEmailSender if channel == Channel.EMAIL else NotifySmsSender
    return kind(api_key=api_key, base_url=base_url, template_id=template_id)


def _smtp(config: Mapping[str, Any]) -> SmtpSender | UnavailableSender:
    missing = [name for name in ("SMTP_HOST", "MAIL_FROM") if not config.get(name)]
    if missing:
        return UnavailableSender(
            Channel.EMAIL,
            f"Email is not set up: {' and '.join(missing)} not set. Ask your administrator.",
        )
    return SmtpSender(
        host=str(config["SMTP_HOST"]),
        port=int(config.get("SMTP_PORT") or 587),
        mail_from=str(config["MAIL_FROM"]),
        username=str(config.get("SMTP_USERNAME") or ""),
        password=str(config.get("SMTP_PASSWORD") or ""),
        starttls=bool(config.get("SMTP_STARTTLS", True)),
    )


def channels_for(authority: LocalAuthority) -> list[Channel]:
    """How this authority can send invitations: the letter always, then its settings."""
    channels = [Channel.LETTER]
    if authority.email_sender != "none":
        channels.append(Channel.EMAIL)
    if authority.sms_sender != "none":
        channels.append(Channel.SMS)
    return channels


def sender_for(authority: LocalAuthority, channel: str, config: Mapping[str, Any]) -> Sender:
    """The sender for a channel, from the authority's settings and the app's configuration."""
    if channel == Channel.LETTER:
        return LetterSender()
    if channel == Channel.EMAIL:
        if authority.email_sender == "smtp":
            return _smtp(config)
        if authority.email_sender == "notify":
            return _notify(Channel.EMAIL, config, "NOTIFY_EMAIL_TEMPLATE_ID")
        return UnavailableSender(Channel.EMAIL, "This service does not send email.")
    if channel == Channel.SMS:
        if authority.sms_sender == "notify":
            return _notify(Channel.SMS, config, "NOTIFY_SMS_TEMPLATE_ID")
        return UnavailableSender(Channel.SMS, "This service does not send text messages.")
    return UnavailableSender(Channel.LETTER, f"Unknown way to send: {channel}")
