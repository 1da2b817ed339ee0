from __future__ import annotations

import pytest
from django.db import transaction

from cityhall.catalog.models import Department
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.servicerequests.services.process_cache import ProcessCache


@pytest.fixture
def cache():
    return ProcessCache(seconds=60, models=(Department,))


def counting_loader(value="loaded"):
    calls = []

    def load():
        calls.append(1)
        return value

    return load, calls


def test_a_value_read_outside_a_transaction_is_kept(cache, transactional_db):
    load, calls = counting_loader()

    assert cache.get("key", load) == cache.get("key", load) == "loaded"
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_value_read_in_a_committed_transaction_is_kept_from_the_commit(cache):
    load, calls = counting_loader()

    with transaction.atomic():
        cache.get("key", load)
        cache.get("key", load)  # not committed yet: read again
    cache.get("key", load)

    assert len(calls) == 2


def test_a_value_read_in_a_rolled_back_transaction_is_not_kept(
    cache, db, django_capture_on_commit_callbacks
):
    load, calls = counting_loader()

    with django_capture_on_commit_callbacks(execute=True):
        cache.get("key", load)  # inside the test's transaction, which never commits
    cache.get("key", load)

    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_saved_row_of_its_models_makes_it_forget(cache):
    load, calls = counting_loader()
    cache.get("key", load)

    DepartmentFactory()
    cache.get("key", load)

    assert len(calls) == 2


def test_values_expire(db):
    cache: ProcessCache[str, str] = ProcessCache(seconds=0, models=())
    load, calls = counting_loader()

    cache.get("key", load)
    cache.get("key", load)

    assert len(calls) == 2
