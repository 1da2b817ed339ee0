"""Two real RQ workers sharing the PostgreSQL test database do each piece of work once.

Filings made at the same moment, each followed up twice (as a retried job or the sweep would),
SLA sweeps and a daily digest run queued twice at once, and every webhook delivery queued
twice: each filing gets one duplicate scoring and one confirmation, each SLA notice, email
delivery and summary is sent once, and each webhook delivery reaches the receiver once.
Nothing is left undone and no job fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from cityhall.core.testing import require_or_skip, server_is_listening
from cityhall.integrations.models import WebhookDelivery
from cityhall.integrations.tasks import deliver_webhook
from cityhall.integrations.tests.factories import WebhookSubscriptionFactory
from cityhall.integrations.tests.receiver import WebhookReceiver, running_webhook_receiver
from cityhall.notifications.models import Delivery, DigestItem
from cityhall.notifications.services import notify
from cityhall.notifications.tasks import send_digests
from cityhall.notifications.tests.factories import RecipientSettingsFactory, TemplateFactory
from cityhall.servicerequests.models import DuplicateCandidate, ServiceRequest
from cityhall.servicerequests.services import Contact, Location, submit_service_request
from cityhall.servicerequests.tasks import check_service_levels, follow_up_submission
from cityhall.servicerequests.tests.factories import ServiceRequestFactory
from cityhall.servicerequests.tests.seeded_templates import (  # noqa: F401 (fixture)
    notification_templates,
)
from config.services import tasks_settings

ROOT = Path(__file__).resolve().parents[3]
#: A Redis database of its own: only this one is flushed.
REDIS_URL = "redis://127.0.0.1:6379/14"
QUEUES = ("default", "email", "notifications")
WORKERS = 2
FILINGS = 12
HERE = (45.5100, -73.5900)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def redis(settings) -> Iterator[object]:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: the workers share the test database")
    require_or_skip(server_is_listening("127.0.0.1", 6379), "Redis is not listening on 6379")
    from redis import Redis

    settings.TASKS, settings.RQ_QUEUES = tasks_settings("rq", redis_url=REDIS_URL)
    client = Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with running_webhook_receiver() as running:
        yield running


@pytest.fixture
def workers(redis, smtp_server, receiver, settings, tmp_path) -> Iterator[None]:
    """Two `manage.py rqworker` processes, as deployed, mailing the test SMTP server."""
    from rq import Worker

    database = connection.settings_dict
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CITYHALL_ENV": "test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "TASKS_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        "CACHE_URL": "locmem://",
        "OUTBOUND_ALLOW_LOOPBACK": "true",
    }
    argv = [sys.executable, "manage.py", "rqworker", *QUEUES, "--job-class", "django_tasks_rq.Job"]
    logs = [(tmp_path / f"rqworker-{n}.log").open("wb") for n in range(WORKERS)]
    started = [
        subprocess.Popen(  # noqa: S603 (fixed arguments)
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        for log in logs
    ]
    try:
        _wait_until(lambda: len(Worker.all(connection=redis)) == WORKERS, what="workers up")
        yield
    finally:
        for worker in started:
            worker.terminate()  # a warm shutdown: each finishes its job first
        for worker, log in zip(started, logs, strict=True):
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            log.close()


def _wait_until(condition, *, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _all_done(redis) -> bool:
    """No job waits in a queue or runs on a worker."""
    from rq import Queue
    from rq.registry import StartedJobRegistry

    queues = [Queue(name, connection=redis) for name in QUEUES]
    return all(queue.count == 0 and StartedJobRegistry(queue=queue).count == 0 for queue in queues)


def _failed_jobs(redis) -> int:
    from rq import Queue
    from rq.registry import FailedJobRegistry

    return sum(FailedJobRegistry(queue=Queue(name, connection=redis)).count for name in QUEUES)


def _file_at_once(service, count: int) -> list[ServiceRequest]:
    """`count` filings made by as many threads at the same moment (on their own connections)."""
    filed: list[ServiceRequest] = []
    barrier = threading.Barrier(count)

    def file(n: int) -> None:
        try:
            barrier.wait()
            filed.append(
                submit_service_request(
                    reporter=None,
                    service=service,
                    description="Deep pothole by the school gate",
                    answers={},
                    location=Location(*HERE),
                    contact=Contact(email=f"resident{n}@example.org"),
                    channel=ServiceRequest.Channel.OPEN311,
                    client_token=f"open311:{n}",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return filed


def _past_sla(*, hours_ago: int, due_in_hours: int, assignee) -> ServiceRequest:
    now = timezone.now()
    service_request = ServiceRequestFactory(
        due_at=now + timedelta(hours=due_in_hours), assignee=assignee
    )
    ServiceRequest.objects.filter(id=service_request.id).update(
        created_at=now - timedelta(hours=hours_ago)
    )
    return service_request


@pytest.mark.usefixtures("notification_templates")
def test_two_workers_do_every_task_once(workers, redis, smtp_server, receiver, agent,
                                        supervisor, citizen):  # fmt: skip
    from cityhall.catalog.tests.factories import ServiceFactory

    pothole = ServiceFactory(
        code="pothole", department=agent.staff_roles.get().department, duplicate_radius_m=50,
        duplicate_window_hours=72, allows_anonymous=True,
    )  # fmt: skip
    WebhookSubscriptionFactory(target_url=receiver.url)
    for _ in range(3):
        _past_sla(hours_ago=9, due_in_hours=1, assignee=agent)  # at 90%: warned
        _past_sla(hours_ago=10, due_in_hours=-1, assignee=agent)  # breached: escalated

    _waiting_for_a_digest(citizen)
    filed = _file_at_once(pothole, FILINGS)
    for service_request in filed:  # a retried job, or the sweep, gives each filing a second run
        follow_up_submission.enqueue(service_request.id)
    for delivery_id in WebhookDelivery.objects.values_list("id", flat=True):
        deliver_webhook.enqueue(delivery_id)
    for _ in range(2):  # two overlapping sweeps, and a digest run queued twice
        check_service_levels.enqueue()
        send_digests.enqueue("daily")
    _wait_until(lambda: _all_done(redis), what="the queues to drain")
    time.sleep(1.0)  # room for a second, wrongful, send to arrive

    assert _all_done(redis)
    assert _failed_jobs(redis) == 0
    _assert_filings_followed_up_once(filed, smtp_server)
    _assert_each_email_delivery_sent_once(smtp_server)
    _assert_each_webhook_delivered_once(receiver, filings=len(filed))
    assert [message["To"] for message in smtp_server.messages].count(citizen.email) == 1
    assert not DigestItem.objects.filter(sent_at=None).exists()


def _waiting_for_a_digest(reader) -> None:
    """Two notifications held for `reader`'s daily summary."""
    RecipientSettingsFactory(user=reader, phone_number="", digest_frequency="daily")
    TemplateFactory()
    for number in ("311-1", "311-2"):
        notify(
            recipient=reader, topic="my_requests", template="request-closed",
            context={"name": "Camille", "number": number}, event_key=f"request:{number}",
        )  # fmt: skip


def _assert_filings_followed_up_once(filed, smtp_server) -> None:
    confirmations = Counter(
        message["To"] for message in smtp_server.messages if message["To"].startswith("resident")
    )
    assert confirmations == Counter(f"resident{n}@example.org" for n in range(FILINGS))
    ids = [service_request.id for service_request in filed]
    assert not ServiceRequest.objects.filter(id__in=ids, followed_up_at__isnull=True).exists()
    # Scored once each: a second scoring would have failed its job on the unique candidates.
    assert DuplicateCandidate.objects.filter(service_request_id__in=ids).exists()


def _assert_each_email_delivery_sent_once(smtp_server) -> None:
    emails = Delivery.objects.filter(channel="email")
    staff_mail = Counter(
        message["To"] for message in smtp_server.messages if "@city.example" in message["To"]
    )
    assert set(emails.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert set(emails.values_list("attempts", flat=True)) == {1}
    assert staff_mail == Counter(emails.values_list("address", flat=True))
    assert staff_mail == {"alex.agent@city.example": 3, "sam.supervisor@city.example": 3}


def _assert_each_webhook_delivered_once(receiver: WebhookReceiver, *, filings: int) -> None:
    delivered = Counter(post.headers["CityHall-Delivery"] for post in receiver.received)
    assert len(delivered) == filings
    assert set(delivered.values()) == {1}
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
