"""After an account is closed and erased, no trace of the person's email, name or phone
number is left in any table, media file (ZIPs opened) or queued task; their public request
stays, without identity."""

from __future__ import annotations

import contextlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.core.testing import require_or_skip, server_is_listening
from cityhall.privacy.models import AccountClosure
from cityhall.privacy.services.closures import (
    confirm_account_closure,
    request_account_closure,
)
from cityhall.privacy.tasks import carry_out_due_closures, send_closure_confirmation
from cityhall.privacy.tests.people import (
    EMAIL,
    IP_ADDRESS,
    NAME,
    PHONE,
    PHONE_AS_WRITTEN,
    citizen_with_data,
)
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.photo_files import use_temporary_media

NEEDLES = (EMAIL, NAME, PHONE, PHONE_AS_WRITTEN, IP_ADDRESS)
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "email"]}}


def traces_in_database() -> list[str]:
    """Where any needle appears in any text, JSON or IP field of any row of any model.

    Rows are read through the ORM, so that encrypted fields are read decrypted; sessions are
    decoded.
    """
    found = []
    for model in apps.get_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(
                field,
                models.CharField
                | models.TextField
                | models.JSONField
                | models.GenericIPAddressField,
            )
        ]
        if not fields:
            continue
        for row in model._base_manager.all().iterator():
            for field in fields:
                value = getattr(row, field.attname)
                if model is Session and field.name == "session_data":
                    value = SessionStore().decode(value)
                found += [
                    f"{model._meta.label}.{field.name}: {needle}" for needle in _needles_in(value)
                ]
    return found


def traces_in_media(media: Path) -> list[str]:
    found = []
    for path in media.rglob("*"):
        if path.is_file():
            for name, content in _contents(path):
                found += [f"{name}: {needle}" for needle in _needles_in(content)]
    return found


def _contents(path: Path) -> Iterator[tuple[str, str]]:
    data = path.read_bytes()
    yield str(path), data.decode("utf-8", "replace")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                yield f"{path}!{member}", archive.read(member).decode("utf-8", "replace")


def _needles_in(value: object) -> list[str]:
    if value is None:
        return []
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return [needle for needle in NEEDLES if needle.lower() in text.lower()]


def _close_and_erase(person, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        closure = request_account_closure(actor=person.user, password=DEFAULT_PASSWORD)
    send_closure_confirmation.call(closure.id)
    from django.core import mail

    token = mail.outbox[-1].body.split("/account/close/confirm/")[1].split("/")[0]
    confirm_account_closure(token=token)
    AccountClosure.objects.filter(pk=closure.pk).update(
        erase_after=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert carry_out_due_closures.call() == 1


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.mark.django_db
def test_no_trace_of_the_person_is_left_in_any_table_or_file(
    media, client, django_capture_on_commit_callbacks
):
    person = citizen_with_data()
    client.force_login(person.user)  # a session row that names the account
    # The scan sees what is there.
    assert traces_in_database()
    assert traces_in_media(media)

    _close_and_erase(person, django_capture_on_commit_callbacks)

    assert traces_in_database() == []
    assert traces_in_media(media) == []


@pytest.mark.django_db
def test_the_public_request_stays_without_identity(media, django_capture_on_commit_callbacks):
    person = citizen_with_data()

    _close_and_erase(person, django_capture_on_commit_callbacks)

    kept = ServiceRequest.objects.get(tracking_number="RAS-26-004242")
    assert kept.reporter is None
    assert (kept.contact_name, kept.contact_email, kept.contact_phone) == ("", "", "")
    assert kept.description.startswith("Deep pothole in front of my house. [removed]")
    assert kept.photos.count() == 0
    assert kept.satisfaction_rating.score == 4


@pytest.mark.django_db
def test_a_signed_in_session_of_the_erased_person_no_longer_works(
    media, client, django_capture_on_commit_callbacks
):
    person = citizen_with_data()
    client.force_login(person.user)

    _close_and_erase(person, django_capture_on_commit_callbacks)

    assert client.get("/en/account/my-data/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_no_trace_is_left_in_the_database_task_queue(media, settings, client):
    settings.TASKS = DATABASE_TASKS
    person = citizen_with_data()
    client.force_login(person.user)
    client.post("/en/account/my-data/copy/")  # queued, with the closure's email after it
    closure = request_account_closure(actor=person.user, password=DEFAULT_PASSWORD)
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    AccountClosure.objects.filter(pk=closure.pk).update(
        status=AccountClosure.Status.SCHEDULED, erase_after=timezone.now()
    )

    carry_out_due_closures.enqueue()
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)

    assert traces_in_database() == []
    assert traces_in_media(media) == []


@pytest.mark.redis
@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_no_trace_is_left_in_the_rq_queues(media, settings):
    require_or_skip(
        server_is_listening("127.0.0.1", 6379), "Redis is not listening on 127.0.0.1:6379"
    )
    import django_rq

    settings.TASKS = RQ_TASKS
    person = citizen_with_data()
    queues = [django_rq.get_queue(name) for name in ("default", "email")]
    for queue in queues:
        queue.empty()
    closure = request_account_closure(actor=person.user, password=DEFAULT_PASSWORD)
    AccountClosure.objects.filter(pk=closure.pk).update(
        status=AccountClosure.Status.SCHEDULED, erase_after=timezone.now()
    )
    carry_out_due_closures.call()

    connection = queues[0].connection
    found = [
        f"{key!r}: {needle}"
        for key in connection.scan_iter(count=1000)
        for needle in _needles_in(_redis_value(connection, key))
    ]
    assert found == []


def _redis_value(connection, key: bytes) -> str:
    """Every string a key holds, job payloads decompressed (RQ stores them zlib-compressed)."""
    kind = connection.type(key)
    if kind == b"string":
        raw = [connection.get(key) or b""]
    elif kind == b"hash":
        raw = [item for pair in connection.hgetall(key).items() for item in pair]
    elif kind == b"list":
        raw = connection.lrange(key, 0, -1)
    elif kind == b"set":
        raw = list(connection.smembers(key))
    elif kind == b"zset":
        raw = connection.zrange(key, 0, -1)
    else:
        raw = []
    parts = []
    for item in raw:
        parts.append(item.decode("utf-8", "replace"))
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(item).decode("utf-8", "replace"))
    return " ".join(parts)
