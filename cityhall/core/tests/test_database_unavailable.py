"""While the database cannot be reached, every surface answers 503 with Retry-After in its own
error format, instead of a 500."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable
from contextlib import contextmanager
from types import ModuleType, SimpleNamespace
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connections
from django.db.utils import DatabaseErrorWrapper
from django.test import Client, RequestFactory

from cityhall.core.unavailable import RETRY_AFTER_SECONDS, is_database_unavailable
from cityhall.core.views import server_error


def _as_django_hands_it_on(driver: ModuleType, call: Callable[[], object]) -> OperationalError:
    """The error `call` raises, wrapped as Django's backend for `driver` wraps it."""
    try:
        with DatabaseErrorWrapper(SimpleNamespace(Database=driver, errors_occurred=False)):
            call()
    except OperationalError as error:
        return error
    raise AssertionError("no OperationalError was raised")


def _raising(error: Exception) -> Callable[[], object]:
    def call() -> object:
        raise error

    return call


def _wrapped(driver_error: Exception) -> OperationalError:
    driver = sqlite3 if isinstance(driver_error, sqlite3.Error) else psycopg
    return _as_django_hands_it_on(driver, _raising(driver_error))


def _refused_connection() -> OperationalError:
    """What a PostgreSQL server that is down gives: nothing listens on its port."""
    return _as_django_hands_it_on(
        psycopg,
        lambda: psycopg.connect("postgresql://postgres@127.0.0.1:1/cityhall", connect_timeout=2),
    )


@contextmanager
def _database_down():
    """Every query in the block fails as when PostgreSQL is stopped."""
    error = _refused_connection()

    def fail(*_args, **_kwargs):
        raise error

    with mock.patch.object(connections["default"], "ensure_connection", fail):
        yield


def _sqlite_error(code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("simulated")
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("error", "is_unavailable"),
    [
        (_refused_connection(), True),
        (_wrapped(psycopg.errors.AdminShutdown("terminating connection")), True),
        (_wrapped(psycopg.errors.TooManyConnections("too many clients")), True),
        (_wrapped(psycopg.errors.DeadlockDetected("deadlock detected")), False),
        (_wrapped(psycopg.errors.QueryCanceled("statement timeout")), False),
        (_wrapped(_sqlite_error(sqlite3.SQLITE_BUSY)), True),
        (_wrapped(_sqlite_error(sqlite3.SQLITE_ERROR)), False),
        (InterfaceError("connection already closed"), True),
        (ValueError("a bug"), False),
    ],
    ids=[
        "refused",
        "admin-shutdown",
        "too-many-connections",
        "deadlock",
        "timeout",
        "sqlite-busy",
        "sqlite-no-such-table",
        "connection-closed",
        "not-a-database-error",
    ],
)
def test_only_errors_about_reaching_the_database_count_as_unavailable(error, is_unavailable):
    assert is_database_unavailable(error) is is_unavailable


@pytest.fixture
def client(db):
    return Client(raise_request_exception=False)


def test_a_page_answers_a_calm_bilingual_503(client):
    with _database_down():
        response = client.get("/fr/services/")

    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert '<html lang="fr">' in html
    assert 'lang="en"' in html
    assert "311" in html


def test_the_platform_api_answers_its_error_contract(client):
    with _database_down():
        response = client.get("/api/v1/catalog/topics")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    error = response.json()["error"]
    assert (error["code"], error["fields"]) == ("service_unavailable", {})


@pytest.mark.parametrize("extension", ["json", "xml"])
def test_open311_answers_the_georeport_error_body(client, extension):
    with _database_down():
        response = client.get(f"/open311/v2/requests.{extension}", {"status": "open"})

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    if extension == "json":
        [error] = json.loads(response.content)
        assert error["code"] == 503
        assert error["description"]
    else:
        root = ET.fromstring(response.content)  # noqa: S314 (our own answer)
        assert root.tag == "errors"
        assert root.findtext("error/code") == "503"


def test_the_health_check_tells_the_load_balancer_503(client):
    with _database_down():
        response = client.get("/healthz")

    assert response.status_code == 503


def test_other_server_errors_stay_500():
    request = RequestFactory().get("/en/")

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
    assert "Retry-After" not in response
