"""The fan-out on the production task backends: `db_worker`, and RQ workers; started twice, it
sends each message once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from cityhall.alerts.fanout import start_fan_out
from cityhall.alerts.tests.alert_factories import AlertFactory
from cityhall.alerts.tests.factories import AlertSubscriberFactory
from cityhall.core.testing import require_or_skip, server_is_listening
from cityhall.notifications.models import Delivery

QUEUES = ["default", "email", "notifications"]


def neighbours() -> list[str]:
    emails = [f"neighbour{index}@example.org" for index in range(3)]
    for index, email in enumerate(emails):
        AlertSubscriberFactory(email=email, latitude=45.51, longitude=-73.59 + index * 0.001)
    AlertSubscriberFactory(email="far@example.org", latitude=45.70, longitude=-73.30)
    return emails


@pytest.mark.django_db(transaction=True)
def test_the_database_workers_send_each_message_once_even_when_started_twice(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}
    emails = neighbours()
    alert = AlertFactory(web="https://city.example/flood")

    start_fan_out(alert.id)
    start_fan_out(alert.id)
    for _worker in range(2):
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)

    assert sorted(message.to[0] for message in mail.outbox) == emails
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.redis
@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_rq_workers_send_each_message_once_even_when_started_twice(settings):
    require_or_skip(
        server_is_listening("127.0.0.1", 6379), "Redis is not listening on 127.0.0.1:6379"
    )
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": QUEUES}}
    queues = [django_rq.get_queue("notifications")]
    for queue in queues:
        queue.empty()
    emails = neighbours()
    alert = AlertFactory(web="https://city.example/flood")

    start_fan_out(alert.id)
    start_fan_out(alert.id)
    for _worker in range(2):
        SimpleWorker(queues, connection=queues[0].connection, job_class=Job).work(burst=True)

    assert sorted(message.to[0] for message in mail.outbox) == emails
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
