"""GeoReport v2 calls are rate-limited per address and per api_key, in the spec's error body."""

import pytest

from cityhall.open311.tests.conftest import issue_key
from cityhall.open311.tests.contract import parse_xml


@pytest.fixture
def two_per_minute(settings):
    settings.RATE_LIMITS = {"open311.callers": "2/minute", "open311.addresses": "4/minute"}


@pytest.mark.django_db
def test_an_address_past_its_limit_gets_429_with_retry_after_in_json(client, two_per_minute):
    answers = [client.get("/open311/v2/services.json") for _ in range(5)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()[0]["code"] == 429
    assert "Too many requests" in refused.json()[0]["description"]


@pytest.mark.django_db
def test_the_refusal_is_in_xml_for_xml_calls(client, two_per_minute):
    for _ in range(4):
        client.get("/open311/v2/services.xml")

    refused = client.get("/open311/v2/services.xml")

    assert refused.status_code == 429
    assert parse_xml(refused.content).tag == "errors"


@pytest.mark.django_db
def test_each_api_key_has_its_own_allowance_whichever_address_it_comes_from(client, two_per_minute):
    key, other_key = issue_key("open311:write"), issue_key("open311:write")

    first = [
        client.get("/open311/v2/services.json", {"api_key": key}, REMOTE_ADDR=f"10.0.0.{n}")
        for n in range(3)
    ]
    other = client.get("/open311/v2/services.json", {"api_key": other_key}, REMOTE_ADDR="10.0.1.1")

    assert [answer.status_code for answer in first] == [200, 200, 429]
    assert other.status_code == 200


@pytest.mark.django_db
def test_a_key_in_the_posted_form_counts_against_that_key(client, two_per_minute):
    key = issue_key("open311:write")

    answers = [
        client.post("/open311/v2/requests.json", {"api_key": key}, REMOTE_ADDR=f"10.0.0.{n}")
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers][-1] == 429
    assert answers[0].status_code == 400  # the first two reach the view, which wants a service
