"""Fake mail and GOV.UK Notify servers on 127.0.0.1, wired into the app's settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.fake_notify import FakeNotify
from tests.fake_smtp import FakeSmtp

MAIL_FROM = "iro-team@testshire.example"


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSmtp]:
    with FakeSmtp() as server:
        for key, value in {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": server.port,
            "SMTP_STARTTLS": False,
            "MAIL_FROM": MAIL_FROM,
        }.items():
            monkeypatch.setitem(app.config, key, value)
        yield server


@pytest.fixture
def notify(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNotify]:
    with FakeNotify() as server:
        for key, value in {
            "NOTIFY_API_KEY": server.api_key,
            "NOTIFY_BASE_URL": server.base_url,
            "NOTIFY_EMAIL_TEMPLATE_ID": "email-template-1",
            "NOTIFY_SMS_TEMPLATE_ID": "sms-template-1",
        }.items():
            monkeypatch.setitem(app.config, key, value)
        yield server
