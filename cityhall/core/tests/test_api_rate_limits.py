"""/api/v1 is rate-limited per key, token or account and per address, in the error contract."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from cityhall.accounts.tests.api_callers import token_headers
from cityhall.core.testing import require_or_skip, server_is_listening


@pytest.fixture
def tight_limits(settings):
    settings.RATE_LIMITS = {"api.callers": "3/minute", "api.addresses": "5/minute"}


def test_a_caller_past_its_limit_gets_429_with_retry_after(db, tight_limits, citizen):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(citizen)["Authorization"])

    answers = [client.get("/api/v1/me", REMOTE_ADDR=f"10.0.0.{n}") for n in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert set(refused.json()["error"]) == {"code", "message", "fields"}
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_each_token_has_its_own_allowance(db, tight_limits, citizen, other_citizen):
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=token_headers(citizen)["Authorization"])
    second.credentials(HTTP_AUTHORIZATION=token_headers(other_citizen)["Authorization"])

    for n in range(3):
        first.get("/api/v1/me", REMOTE_ADDR=f"10.0.0.{n}")

    assert first.get("/api/v1/me", REMOTE_ADDR="10.0.1.1").status_code == 429
    assert second.get("/api/v1/me", REMOTE_ADDR="10.0.1.2").status_code == 200


def test_failed_credentials_count_against_the_address_too(db, tight_limits):
    client = APIClient(HTTP_AUTHORIZATION="Bearer guessed.secret")

    answers = [client.get("/api/v1/me", REMOTE_ADDR="10.0.0.7") for _ in range(6)]

    assert [answer.status_code for answer in answers] == [401] * 5 + [429]
    assert answers[-1].json()["error"]["code"] == "rate_limited"
    assert int(answers[-1].headers["Retry-After"]) >= 1


def test_anonymous_callers_share_their_addresss_allowance(db, tight_limits):
    client = APIClient()

    answers = [client.get("/api/v1/catalog/topics", REMOTE_ADDR="10.0.0.9") for _ in range(6)]
    elsewhere = client.get("/api/v1/catalog/topics", REMOTE_ADDR="10.0.0.10")

    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert elsewhere.status_code == 200


@pytest.mark.redis
def test_the_api_limits_hold_with_the_redis_cache(db, settings, citizen):
    require_or_skip(server_is_listening("127.0.0.1", 6379), "Redis is not running on 6379")
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }
    settings.RATE_LIMITS = {"api.callers": "2/minute", "api.addresses": "100/minute"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(citizen)["Authorization"])

    answers = [client.get("/api/v1/me").status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_clients_behind_the_citys_proxy_each_have_their_own_allowance(db, tight_limits, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient()

    def through_proxy(address: str) -> int:
        return client.get(
            "/api/v1/catalog/topics", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=address
        ).status_code

    first = [through_proxy("198.51.100.1") for _ in range(6)]
    second = through_proxy("198.51.100.2")
    spoofed = through_proxy("198.51.100.3, 198.51.100.1")

    assert first == [200] * 5 + [429]
    assert second == 200
    assert spoofed == 429
