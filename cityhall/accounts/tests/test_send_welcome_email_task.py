"""The welcome email runs as a real background task on both production task backends."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from cityhall.accounts.tasks import send_welcome_email
from cityhall.accounts.tests.factories import UserFactory
from cityhall.core.testing import require_or_skip, server_is_listening

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "email"]}}


@pytest.fixture
def use_tasks_backend(settings):
    """Switch the task backend for one test (django_tasks rebuilds its backends on the change)."""

    def switch(config):
        settings.TASKS = config

    return switch


@pytest.mark.django_db(transaction=True)
def test_welcome_email_is_delivered_by_the_database_worker(smtp_server, use_tasks_backend):
    use_tasks_backend(DATABASE_TASKS)
    user = UserFactory(email="nadia@example.org", full_name="Nadia Gagnon", preferred_language="fr")

    result = send_welcome_email.enqueue(user.id)
    assert smtp_server.messages == []  # queued, not sent inline
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "nadia@example.org"
    assert "Nadia Gagnon" in message.get_content()


@pytest.mark.redis
@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_welcome_email_is_delivered_by_an_rq_worker_on_redis(smtp_server, use_tasks_backend):
    require_or_skip(
        server_is_listening("127.0.0.1", 6379), "Redis is not listening on 127.0.0.1:6379"
    )
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    use_tasks_backend(RQ_TASKS)
    queue = django_rq.get_queue("email")
    queue.empty()
    user = UserFactory(email="liam@example.org", full_name="Liam Chen", preferred_language="en")

    result = send_welcome_email.enqueue(user.id)
    assert queue.count == 1
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "liam@example.org"
    assert message["Subject"] == "Welcome to Rivière-aux-Saules"


@pytest.mark.django_db
def test_welcome_email_is_skipped_for_an_account_erased_before_it_ran(mailoutbox):
    user = UserFactory()
    user_id = user.id
    user.delete()

    was_sent = send_welcome_email.call(user_id)

    assert was_sent is False
    assert mailoutbox == []
