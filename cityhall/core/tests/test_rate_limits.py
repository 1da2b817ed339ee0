"""Rate limits count hits per caller and per address in the cache, and refuse with Retry-After."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse

from cityhall.core.errors import RateLimited
from cityhall.core.ratelimit import Rate, count_hit, parse_rate, rate_limited, secret_identity
from cityhall.core.testing import require_or_skip, server_is_listening

WINDOW_START = 1_800_000_000.0  # a whole number of minutes since the epoch


@pytest.fixture
def three_per_minute(settings):
    settings.RATE_LIMITS = {"test.callers": "3/minute", "test.addresses": "5/minute"}


@pytest.mark.parametrize(
    ("text", "rate"),
    [("3/minute", Rate(3, 60)), ("10/s", Rate(10, 1)), ("1000/hours", Rate(1000, 3600))],
)
def test_rates_read_as_hits_per_period(text, rate):
    assert parse_rate(text) == rate


def test_off_means_unlimited():
    assert parse_rate("off") is None


@pytest.mark.parametrize("text", ["", "3", "three/minute", "0/minute", "3/fortnight", "-1/hour"])
def test_a_misspelt_rate_is_a_configuration_error(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def _hits_until_refused(identity: str, *, now: float, tries: int = 10) -> tuple[int, RateLimited]:
    for hit in range(1, tries + 1):
        try:
            count_hit(bucket="test.callers", identity=identity, now=now)
        except RateLimited as error:
            return hit, error
    raise AssertionError("never refused")


def test_the_hit_past_the_limit_is_refused_until_the_window_ends(three_per_minute):
    refused_at, error = _hits_until_refused("key:1", now=WINDOW_START + 20)

    assert refused_at == 4
    assert error.status == 429
    assert error.retry_after == 40
    count_hit(bucket="test.callers", identity="key:1", now=WINDOW_START + 60)


def test_each_identity_has_its_own_allowance(three_per_minute):
    _hits_until_refused("key:1", now=WINDOW_START)

    count_hit(bucket="test.callers", identity="key:2", now=WINDOW_START)


def test_an_unlisted_bucket_is_not_limited(three_per_minute):
    for _ in range(50):
        count_hit(bucket="test.unlisted", identity="key:1", now=WINDOW_START)


def test_a_credential_identity_depends_on_the_whole_secret():
    assert secret_identity("abc.def") != secret_identity("abc.deg")
    assert "def" not in secret_identity("abc.def")


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _refuse(request: HttpRequest, error: RateLimited) -> HttpResponse:
    return JsonResponse({"message": error.message}, status=429)


def test_the_decorator_limits_per_address_and_per_caller_and_sets_retry_after(three_per_minute, rf):
    view = rate_limited(
        callers_bucket="test.callers",
        addresses_bucket="test.addresses",
        caller=lambda request: request.GET.get("key"),
        refuse=_refuse,
    )(_view)

    with_key = [view(rf.get("/", {"key": "k"}, REMOTE_ADDR="10.0.0.1")) for _ in range(4)]
    anonymous = [view(rf.get("/", REMOTE_ADDR="10.0.0.1")) for _ in range(2)]
    elsewhere = view(rf.get("/", REMOTE_ADDR="10.0.0.2"))

    assert [response.status_code for response in with_key] == [200, 200, 200, 429]
    assert 1 <= int(with_key[-1].headers["Retry-After"]) <= 60
    assert [response.status_code for response in anonymous] == [200, 429]
    assert elsewhere.status_code == 200


@pytest.mark.redis
def test_counts_are_shared_through_redis(settings):
    require_or_skip(server_is_listening("127.0.0.1", 6379), "Redis is not running on 6379")
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }
    settings.RATE_LIMITS = {"test.callers": "3/minute"}
    try:
        refused_at, error = _hits_until_refused("key:1", now=WINDOW_START + 59.5)
        stored = caches["ratelimit"].get(f"ratelimit:test.callers:key:1:{int(WINDOW_START // 60)}")
    finally:
        caches["ratelimit"].clear()

    assert refused_at == 4
    assert error.retry_after == 1
    assert stored == 4


def test_the_decorator_counts_the_client_behind_a_trusted_proxy(three_per_minute, rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    view = rate_limited(
        callers_bucket="test.callers",
        addresses_bucket="test.addresses",
        caller=lambda request: None,
        refuse=_refuse,
    )(_view)

    def through_proxy(address: str) -> int:
        request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=address)
        return view(request).status_code

    first = [through_proxy("198.51.100.1") for _ in range(6)]

    assert first == [200] * 5 + [429]
    assert through_proxy("198.51.100.2") == 200
