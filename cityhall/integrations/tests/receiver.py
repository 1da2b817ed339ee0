"""A webhook receiver on 127.0.0.1 for tests: it records what it is sent and answers as told."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings


@dataclass(frozen=True)
class ReceivedPost:
    path: str
    #: Looked up without regard to case, as HTTP header names are.
    headers: Message
    body: bytes


@dataclass
class WebhookReceiver:
    """Set `answers` to the status codes to give, in order; 200 once they run out."""

    url: str = ""
    received: list[ReceivedPost] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(ReceivedPost(self.path, self.headers, body))
            status = receiver.answers.pop(0) if receiver.answers else 200
            reply = f"answer {status}".encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            return  # keep test output quiet

    return Handler


@contextmanager
def running_webhook_receiver() -> Iterator[WebhookReceiver]:
    """A receiver in a thread on a free port of 127.0.0.1, stopped on leaving the block; while
    it runs, outbound requests may reach loopback addresses (and only those)."""
    receiver = WebhookReceiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/cityhall"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with override_settings(OUTBOUND_ALLOW_LOOPBACK=True):
            yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """A receiver listening on 127.0.0.1 for the length of the test."""
    with running_webhook_receiver() as receiver:
        yield receiver
