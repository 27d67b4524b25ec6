"""A tiny SMTP server on 127.0.0.1 that records what it is sent (no TLS, AUTH PLAIN)."""

from __future__ import annotations

import base64
import socketserver
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import cast

from tests.local_server import ServedInBackground


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        return cast(EmailMessage, message_from_bytes(self.data, policy=policy.default))

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return cast(str, part.get_content())


@dataclass
class FakeSmtp(ServedInBackground):
    received: list[ReceivedMail] = field(default_factory=list)
    refuse_recipients: set[str] = field(default_factory=set)
    username: str | None = None  # when set, AUTH PLAIN is offered and required
    password: str | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return int(self._server.server_address[1])

    def start(self) -> FakeSmtp:
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode("ascii") + b"\r\n")

            def handle(self) -> None:
                self.reply("220 fake.smtp.invalid ready")
                mail_from, login = "", None
                rcpt_to: list[str] = []
                while True:
                    raw = self.rfile.readline(65536)
                    if not raw:
                        return
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    verb = line.split(" ", 1)[0].upper()
                    argument = line[len(verb) :].strip()
                    if verb == "EHLO":
                        self.reply("250-fake.smtp.invalid")
                        self.reply("250-8BITMIME")
                        if fake.username is not None:
                            self.reply("250-AUTH PLAIN")
                        self.reply("250 SIZE 10485760")
                    elif verb == "HELO":
                        self.reply("250 fake.smtp.invalid")
                    elif verb == "AUTH":
                        parts = argument.split(" ")
                        decoded = base64.b64decode(parts[1]).split(b"\0") if len(parts) > 1 else []
                        if (
                            len(decoded) == 3
                            and decoded[1].decode() == fake.username
                            and decoded[2].decode() == fake.password
                        ):
                            login = decoded[1].decode()
                            self.reply("235 2.7.0 Authentication successful")
                        else:
                            self.reply("535 5.7.8 Authentication credentials invalid")
                    elif verb == "MAIL":
                        if fake.username is not None and login is None:
                            self.reply("530 5.7.0 Authentication required")
                            continue
                        mail_from = argument.split(":", 1)[1].strip().strip("<>").split(">")[0]
                        rcpt_to = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = argument.split(":", 1)[1].strip().strip("<>").split(">")[0]
                        if address in fake.refuse_recipients:
                            self.reply("550 5.1.1 No such user here")
                        else:
                            rcpt_to.append(address)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        while True:
                            data_line = self.rfile.readline(1 << 20)
                            if data_line in (b".\r\n", b""):
                                break
                            if data_line.startswith(b".."):
                                data_line = data_line[1:]
                            lines.append(data_line)
                        fake.received.append(
                            ReceivedMail(mail_from, rcpt_to, b"".join(lines), login)
                        )
                        self.reply("250 OK: queued")
                    elif verb in ("RSET", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 5.5.2 Command not recognised")

        return self._serve(_Server(("127.0.0.1", 0), Handler))
