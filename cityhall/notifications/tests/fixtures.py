"""Fixtures for notifications tests: tasks run inline, and a fake SMS provider on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

NOTIFICATION_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email", "notifications"],
    }
}


@pytest.fixture
def immediate_notification_tasks(settings):
    """Run queued tasks inline, whatever TASKS_BACKEND the environment names."""
    settings.TASKS = NOTIFICATION_TASKS


@dataclass
class FakeSmsProvider:
    """A Twilio-compatible Messages API. Set `reply` to (status, JSON body) to script answers."""

    url: str
    requests: list[dict] = field(default_factory=list)
    reply: tuple[int, dict] = (201, {"sid": "SM0001", "status": "queued"})


def _handler(provider: FakeSmsProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            provider.requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "form": {name: values[0] for name, values in form.items()},
                }
            )
            status, body = provider.reply
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):
            return  # keep test output quiet

    return Handler


@pytest.fixture
def sms_provider(settings):
    """Start the fake provider and point the SMS settings at it."""
    provider = FakeSmsProvider(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_API_BASE_URL = provider.url
    settings.SMS_ACCOUNT_SID = "AC123"
    settings.SMS_AUTH_TOKEN = "secret-token"
    settings.SMS_FROM_NUMBER = "+15145550000"
    settings.OUTBOUND_ALLOW_LOOPBACK = True  # the provider runs on 127.0.0.1, and only it
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def notify_now(django_capture_on_commit_callbacks):
    """`notify` that also runs what it queues after commit (the delivery tasks)."""
    from cityhall.notifications.services import notify

    def call(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(**kwargs)

    return call


@dataclass
class FakePushService:
    """A browser's push service (RFC 8030) on 127.0.0.1: records each POST, answers `status`."""

    url: str
    requests: list[dict] = field(default_factory=list)
    status: int = 201


def _push_handler(service: FakePushService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            service.requests.append(
                {
                    "path": self.path,
                    "headers": {name.lower(): value for name, value in self.headers.items()},
                    "body": self.rfile.read(length),
                }
            )
            self.send_response(service.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            return  # keep test output quiet

    return Handler


@pytest.fixture
def push_service(settings):
    """Start a fake push service; subscription endpoints are `push_service.url + "/<id>"`."""
    settings.OUTBOUND_ALLOW_LOOPBACK = True  # the push service runs on 127.0.0.1, and only it
    service = FakePushService(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _push_handler(service))
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
