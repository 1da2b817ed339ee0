"""Against a private PostgreSQL primary and its streaming replica, public lists come from the
replica, a client sees its own writes, and a replica that is down or behind is skipped."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cityhall.catalog.models import Service
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.db_routing import PRIMARY, REPLICA
from cityhall.core.replica_health import HEALTH_CHECK_SECONDS, forget_replica_health
from cityhall.core.testing import database_aliases, require_or_skip
from cluster.postgres import (
    PostgresServer,
    binaries_are_installed,
    primary_server,
    replica_server,
)
from cluster.processes import ServiceFailed, free_port
from config import services
from config.urls import urlpatterns as project_urlpatterns

pytestmark = [pytest.mark.cluster, pytest.mark.urls(__name__)]

SERVICES = "/open311/v2/services.json"


@csrf_exempt
def rename_service(request: HttpRequest, code: str) -> HttpResponse:
    """Any page that writes: the next reads of its client must see the write."""
    Service.objects.filter(code=code).update(name_en=request.POST["name"])
    return HttpResponse(status=204)


urlpatterns = [path("rename/<str:code>/", rename_service), *project_urlpatterns]


@pytest.fixture(scope="session")
def streaming_pair(django_db_blocker) -> Iterator[tuple[PostgresServer, PostgresServer]]:
    """A primary holding the project's tables and its replica, on free ports, for the session."""
    require_or_skip(
        binaries_are_installed() and os.geteuid() == 0,
        "A private PostgreSQL pair needs postgresql-15's binaries and root (runuser -u postgres)",
    )
    base = Path(tempfile.mkdtemp(prefix="cityhall-replica-"))
    base.chmod(0o755)  # the servers' own directories inside belong to postgres
    primary = primary_server(base / "primary", port=free_port(), settings={"fsync": "off"})
    replica = replica_server(base / "replica", port=free_port(), primary=primary)
    try:
        primary.start()
        primary.create_database()
        schema_target = {PRIMARY: dj_database_url.parse(primary.url)}
        with database_aliases(schema_target), django_db_blocker.unblock():
            _create_tables()
        replica.start()
    except ServiceFailed as error:
        require_or_skip(False, f"The private PostgreSQL pair did not start: {error}")
    yield primary, replica
    replica.destroy()
    primary.destroy()
    shutil.rmtree(base, ignore_errors=True)


def _create_tables() -> None:
    # The models' tables as they stand, without replaying every migration: what routing needs.
    with connections[PRIMARY].schema_editor() as editor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                editor.create_model(model)


@pytest.fixture
def pair(streaming_pair, django_db_blocker, settings) -> Iterator[tuple[PostgresServer, ...]]:
    """The project's `default` and `replica` databases pointed at the pair for one test."""
    primary, replica = streaming_pair
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 30
    primary_settings = dj_database_url.parse(primary.url)
    replica_settings = services.replica_database_settings(replica.url, primary=primary_settings)
    forget_replica_health()
    aliases = {PRIMARY: primary_settings, REPLICA: replica_settings}
    with database_aliases(aliases), django_db_blocker.unblock():
        yield primary, replica
    forget_replica_health()


def _wait_until_caught_up(primary: PostgresServer, replica: PostgresServer) -> None:
    with psycopg.connect(primary.url) as connection:
        (position,) = connection.execute("SELECT pg_current_wal_lsn()").fetchone()  # type: ignore[misc]  # one row
    deadline = time.monotonic() + 30
    with psycopg.connect(replica.url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            row = connection.execute("SELECT pg_last_wal_replay_lsn() >= %s", [position])
            if row.fetchone() == (True,):
                return
            time.sleep(0.05)
    raise AssertionError("The replica did not catch up within 30 s.")


@contextmanager
def replay_paused(primary: PostgresServer, replica: PostgresServer) -> Iterator[None]:
    """The replica receives the primary's changes but applies none of them meanwhile."""
    with psycopg.connect(replica.url, autocommit=True) as connection:
        connection.execute("SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            connection.execute("SELECT pg_wal_replay_resume()")
    _wait_until_caught_up(primary, replica)


def _service_names(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {service["service_name"] for service in response.json()}


def test_a_public_list_is_read_from_the_replica(pair, client):
    service = ServiceFactory()
    _wait_until_caught_up(*pair)

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        names = _service_names(client.get(SERVICES))

    assert service.name_en in names
    assert any("catalog_service" in query["sql"] for query in on_replica.captured_queries)


def test_a_client_sees_its_own_write_while_the_replica_lags(pair):
    service = ServiceFactory()
    _wait_until_caught_up(*pair)
    writer, other = Client(), Client()

    with replay_paused(*pair):
        writer.post(f"/rename/{service.code}/", {"name": "Potholes (renamed)"})
        seen_by_other = _service_names(other.get(SERVICES))
        seen_by_writer = _service_names(writer.get(SERVICES))

    assert "Potholes (renamed)" in seen_by_writer
    assert service.name_en in seen_by_other


def test_a_stopped_replica_is_replaced_by_the_primary_without_error(pair, client):
    primary, replica = pair
    service = ServiceFactory()
    _wait_until_caught_up(primary, replica)
    _service_names(client.get(SERVICES))  # the replica is known to be up
    cache.clear()

    replica.stop()
    try:
        names = _service_names(client.get(SERVICES))
    finally:
        replica.start()

    assert service.name_en in names


def test_a_replica_further_behind_than_allowed_is_skipped(pair, client, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3
    service = ServiceFactory()
    _wait_until_caught_up(*pair)

    with replay_paused(*pair):
        Service.objects.filter(pk=service.pk).update(name_en="Renamed meanwhile")
        forget_replica_health()  # behind now, by less than 3 s: still used
        while_close = _service_names(client.get(SERVICES))
        time.sleep(HEALTH_CHECK_SECONDS + 3.5)  # behind by more than 3 s at the next check
        cache.clear()
        once_too_far = _service_names(client.get(SERVICES))

    assert service.name_en in while_close
    assert "Renamed meanwhile" in once_too_far
