"""Reads that may lag go to the replica, unless the client just wrote, a transaction is open or
the replica cannot serve; writes and the reads after them go to the primary."""

from __future__ import annotations

import copy
import time

import dj_database_url
import pytest
from django.db import OperationalError, connections, router, transaction
from django.http import HttpRequest, HttpResponse

from cityhall.catalog.models import Service
from cityhall.core.db_routing import (
    PRIMARY,
    REPLICA,
    WROTE_COOKIE,
    ReadYourWritesMiddleware,
    reads_may_lag,
)
from cityhall.core.replica_health import forget_replica_health
from cityhall.core.testing import database_aliases
from cluster.processes import free_port


@pytest.fixture
def replica():
    """A `replica` alias reading the primary's own test database (always caught up)."""
    forget_replica_health()
    with database_aliases({REPLICA: copy.deepcopy(connections.settings[PRIMARY])}):
        yield
    forget_replica_health()


@reads_may_lag
def database_read() -> str:
    return Service.objects.all().db


@reads_may_lag
def database_read_for(request: HttpRequest) -> HttpResponse:
    return HttpResponse(Service.objects.all().db)


def serve(request: HttpRequest, view=database_read_for) -> HttpResponse:
    return ReadYourWritesMiddleware(view)(request)


def test_reads_that_may_lag_go_to_the_replica(replica):
    assert database_read() == REPLICA


def test_other_reads_go_to_the_primary(replica):
    assert Service.objects.all().db == PRIMARY


def test_without_a_replica_reads_that_may_lag_go_to_the_primary():
    assert database_read() == PRIMARY


def test_writes_go_to_the_primary_and_so_do_the_reads_after_them(replica):
    @reads_may_lag
    def write_then_read() -> tuple[str, str, str]:
        before = Service.objects.all().db
        written = router.db_for_write(Service)
        return before, written, Service.objects.all().db

    assert write_then_read() == (REPLICA, PRIMARY, PRIMARY)


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(replica):
    with transaction.atomic():
        assert database_read() == PRIMARY


@pytest.mark.django_db(transaction=True)
def test_a_transaction_opened_by_a_read_that_may_lag_reads_the_primary(replica):
    @reads_may_lag
    def read_in_transaction() -> tuple[str, str]:
        before = Service.objects.all().db
        with transaction.atomic():
            return before, Service.objects.all().db

    assert read_in_transaction() == (REPLICA, PRIMARY)


def test_a_client_that_just_posted_reads_the_primary(replica, rf):
    posted = serve(rf.post("/"))
    request = rf.get("/")
    request.COOKIES[WROTE_COOKIE] = posted.cookies[WROTE_COOKIE].value

    assert serve(request).content.decode() == PRIMARY


def test_a_client_that_wrote_nothing_reads_the_replica(replica, rf):
    response = serve(rf.get("/"))

    assert response.content.decode() == REPLICA
    assert WROTE_COOKIE not in response.cookies


def test_a_request_that_may_write_reads_the_primary(replica, rf):
    assert serve(rf.post("/")).content.decode() == PRIMARY


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replica, rf):
    def write_then_search(request: HttpRequest) -> HttpResponse:
        router.db_for_write(Service)
        return HttpResponse(database_read())

    assert serve(rf.get("/"), view=write_then_search).content.decode() == PRIMARY


def test_a_get_that_saved_something_keeps_its_client_on_the_primary(replica, rf):
    def saving_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(router.db_for_write(Service))

    response = serve(rf.get("/"), view=saving_view)

    assert WROTE_COOKIE in response.cookies


def test_reads_stay_on_the_primary_longer_than_the_replica_may_lag(replica, rf, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 5
    before = time.time()

    cookie = serve(rf.post("/")).cookies[WROTE_COOKIE]

    assert cookie["max-age"] > 5
    assert float(cookie.value) > before + 5
    assert cookie["httponly"]


@pytest.mark.parametrize("value", ["1", "not a time", ""])
def test_an_expired_or_unreadable_mark_is_ignored(replica, rf, value):
    request = rf.get("/")
    request.COOKIES[WROTE_COOKIE] = value

    assert serve(request).content.decode() == REPLICA


def test_without_a_replica_no_client_is_marked(rf):
    assert WROTE_COOKIE not in serve(rf.post("/")).cookies


def test_a_replica_failing_during_a_read_is_replaced_by_the_primary(replica):
    servers = []

    @reads_may_lag
    def read_from_failing_replica() -> str:
        servers.append(Service.objects.all().db)
        if servers[-1] == REPLICA:
            raise OperationalError("server closed the connection unexpectedly")
        return servers[-1]

    assert read_from_failing_replica() == PRIMARY
    assert servers == [REPLICA, PRIMARY]
    assert database_read() == PRIMARY  # skipped until its next check


def test_a_failure_after_a_write_is_raised_not_repeated(replica):
    calls = []

    @reads_may_lag
    def write_then_fail() -> None:
        calls.append(router.db_for_write(Service))
        raise OperationalError("deadlock detected")

    with pytest.raises(OperationalError):
        write_then_fail()
    assert calls == [PRIMARY]


def test_an_unreachable_replica_is_skipped_without_error(django_db_blocker):
    nowhere = dj_database_url.parse(f"postgres://postgres@127.0.0.1:{free_port()}/cityhall")
    nowhere["OPTIONS"] = {"connect_timeout": 2}
    forget_replica_health()

    with database_aliases({REPLICA: nowhere}), django_db_blocker.unblock():
        assert database_read() == PRIMARY
    forget_replica_health()


def test_the_replica_is_never_migrated():
    assert router.allow_migrate(REPLICA, "catalog") is False
    assert router.allow_migrate(PRIMARY, "catalog") is True
