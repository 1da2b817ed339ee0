from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from cityhall.servicerequests.models import TrackingNumberCounter
from cityhall.servicerequests.services.numbering import (
    continue_tracking_numbers,
    last_tracking_values,
    next_tracking_number,
)


def in_year(year):
    return datetime(year, 6, 1, 12, tzinfo=UTC)


def take(year):
    with transaction.atomic():
        return next_tracking_number(in_year(year))


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite numbers from the counter row")


@pytest.fixture
def fresh_year(postgres_only):
    """A year no other test numbers in; its sequence is dropped after (flushes keep DDL)."""
    year = 2040
    yield year
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SEQUENCE IF EXISTS servicerequests_tracking_{year}")


def test_numbers_carry_the_city_prefix_and_the_year_and_follow_each_other(db):
    first, second = take(2031), take(2031)

    assert first.startswith("RAS-31-")
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


def test_a_year_carries_on_after_the_numbers_a_bulk_load_gave(db):
    continue_tracking_numbers(2032, 41)

    assert take(2032) == "RAS-32-000042"
    assert last_tracking_values()[2032] == 42


def test_continuing_never_moves_a_year_backwards(db):
    continue_tracking_numbers(2033, 41)
    continue_tracking_numbers(2033, 7)

    assert take(2033) == "RAS-33-000042"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_counter_row_is_not_locked_by_filings(fresh_year):
    take(fresh_year)

    assert not TrackingNumberCounter.objects.filter(year=fresh_year).exists()
    assert last_tracking_values()[fresh_year] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_filing_does_not_wait_for_another_ones_commit(fresh_year):
    take(fresh_year)  # the sequence exists
    holding = threading.Event()
    release = threading.Event()
    numbers = []

    def slow_filing():
        try:
            with transaction.atomic():
                numbers.append(next_tracking_number(in_year(fresh_year)))
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    slow = threading.Thread(target=slow_filing)
    slow.start()
    holding.wait(10)
    with transaction.atomic():
        # A row lock would make this wait for the slow filing; fail fast instead.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        numbers.append(next_tracking_number(in_year(fresh_year)))
    release.set()
    slow.join()

    assert sorted(numbers) == [f"RAS-40-00000{n}" for n in (2, 3)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_filings_of_a_year_create_one_sequence(fresh_year):
    TrackingNumberCounter.objects.create(year=fresh_year, last_value=99)
    start = threading.Barrier(4)
    numbers = []

    def filing():
        try:
            start.wait(10)
            numbers.append(take(fresh_year))
        finally:
            connection.close()

    threads = [threading.Thread(target=filing) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(numbers) == [f"RAS-40-{n:06d}" for n in range(100, 104)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_number_taken_by_a_rolled_back_filing_leaves_a_gap(fresh_year):
    take(fresh_year)

    def failed_filing():
        with transaction.atomic():
            next_tracking_number(in_year(fresh_year))
            raise RuntimeError("the filing failed")

    with pytest.raises(RuntimeError):
        failed_filing()

    assert take(fresh_year) == "RAS-40-000003"
