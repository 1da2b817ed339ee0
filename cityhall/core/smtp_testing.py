"""A real SMTP server on 127.0.0.1 for tests: messages are parsed and kept in memory.

`smtp_server` offers PIPELINING (RFC 2920) as production relays do, and
`smtp_server_without_pipelining` does not, so both ways of sending are tested.
"""

from __future__ import annotations

import email
import email.policy
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class ReceivedMail:
    """What the test SMTP server received, in arrival order."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    #: Each message's bytes as received, dot-stuffing undone (what a DKIM verifier checks).
    raw: list[bytes] = field(default_factory=list)
    #: Replies to RCPT by recipient address ("550 5.1.1 No such user"), instead of accepting.
    recipient_replies: dict[str, str] = field(default_factory=dict)
    #: Replies to the next messages' data, in turn, instead of accepting them.
    data_replies: list[str] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Block until `count` messages arrived (or fail after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"expected {count} messages, got {len(self.messages)}"
        return self.messages


class _KeepingHandler:
    def __init__(self, received: ReceivedMail, *, offers_pipelining: bool):
        self.received = received
        self.offers_pipelining = offers_pipelining

    async def handle_EHLO(  # noqa: N802 (aiosmtpd hook name)
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.offers_pipelining:
            # aiosmtpd reads commands one line at a time, so pipelined ones work already.
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(  # noqa: N802 (aiosmtpd hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        refusal = self.received.recipient_replies.get(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd hook name)
        if self.received.data_replies:
            return self.received.data_replies.pop(0)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.raw.append(envelope.content)
        self.received.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(settings: Any, *, offers_pipelining: bool) -> Iterator[ReceivedMail]:
    received = ReceivedMail()
    handler = _KeepingHandler(received, offers_pipelining=offers_pipelining)
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield received
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[ReceivedMail]:
    """Start an SMTP server on a free loopback port and point Django's SMTP backend at it."""
    yield from _serve(settings, offers_pipelining=True)


@pytest.fixture
def smtp_server_without_pipelining(settings: Any) -> Iterator[ReceivedMail]:
    """`smtp_server`, without PIPELINING: clients must wait for each reply."""
    yield from _serve(settings, offers_pipelining=False)
