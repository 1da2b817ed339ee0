from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import intake, submit_service_request

PORTAL = ServiceRequest.Channel.PORTAL


def submit(service, reporter, key, client_token=""):
    return submit_service_request(
        reporter=reporter,
        service=service,
        description="Streetlight out on the corner.",
        answers={},
        location=None,
        channel=PORTAL,
        idempotency_key=key,
        client_token=client_token,
    )


@pytest.fixture
def streetlight(db):
    return ServiceFactory(code="streetlight", allows_anonymous=True)


def test_the_same_key_twice_files_one_request(streetlight, citizen):
    first = submit(streetlight, citizen, "retry-1")
    second = submit(streetlight, citizen, "retry-1")

    assert second.pk == first.pk
    assert ServiceRequest.objects.count() == 1


def test_two_reporters_may_use_the_same_key(streetlight, citizen, other_citizen):
    submit(streetlight, citizen, "retry-1")
    submit(streetlight, other_citizen, "retry-1")

    assert ServiceRequest.objects.count() == 2


def test_anonymous_retries_are_recognised_by_their_client_token(streetlight):
    first = submit(streetlight, None, "retry-1", client_token="device-a")
    again = submit(streetlight, None, "retry-1", client_token="device-a")
    other_device = submit(streetlight, None, "retry-1", client_token="device-b")

    assert again.pk == first.pk
    assert other_device.pk != first.pk


def test_a_key_without_an_account_or_client_token_is_ignored(streetlight):
    first = submit(streetlight, None, "retry-1")
    second = submit(streetlight, None, "retry-1")

    assert second.pk != first.pk


def test_requests_without_a_key_are_never_merged(streetlight, citizen):
    submit(streetlight, citizen, None)
    submit(streetlight, citizen, None)

    assert ServiceRequest.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_retry_that_loses_the_race_gets_the_first_request(monkeypatch, citizen):
    streetlight = ServiceFactory(code="streetlight")
    first = submit(streetlight, citizen, "retry-1")
    real_lookup = intake._existing_for_key
    calls = []

    def counted_lookup(*args):
        calls.append(args)
        return real_lookup(*args)

    monkeypatch.setattr(intake, "_existing_for_key", counted_lookup)

    # Without photos nothing is looked up first: the retry meets the first request's key
    # in the unique index when it inserts, exactly as a concurrent attempt would.
    second = submit(streetlight, citizen, "retry-1")

    assert second.pk == first.pk
    assert ServiceRequest.objects.count() == 1
    assert len(calls) == 1
