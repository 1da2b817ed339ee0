"""Rate limits kept in the Django cache: per caller (API key, token, account) and per address.

A limit is a number of hits per window ("120/minute"), named in `settings.RATE_LIMITS` under a
bucket name. Counting uses fixed windows with atomic `add` and `incr` in the `ratelimit` cache
(`counting_cache()`): Redis, or the database through core.counting_cache, so that every
process counts against the same numbers (config/services.py refuses a per-process cache in
production). A bucket set to "off" (or missing) is not limited.

* `count_hit(bucket=, identity=)` counts one hit and raises RateLimited (429, Retry-After).
* `limit_request(request, callers_bucket=, addresses_bucket=, caller=)` applies both limits
  of a request; `rate_limited(...)` is the same as a view decorator.
* `ApiAddressLimitMiddleware` applies `api.addresses` to every /api/ request, before any
  authentication (so failed credentials count too); `ApiRateThrottle` applies `api.callers`
  to DRF views once the caller is known.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from cityhall.core.client_address import client_ip_address
from cityhall.core.errors import RateLimited

if TYPE_CHECKING:  # rest_framework.views loads this module through its settings
    from rest_framework.request import Request
    from rest_framework.views import APIView

PERIODS = {"s": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "day": 86400}
OFF = "off"


@dataclass(frozen=True)
class Rate:
    """At most `limit` hits per `period` seconds."""

    limit: int
    period: int


def parse_rate(text: str) -> Rate | None:
    """Read "120/minute" (or /second, /hour, /day); "off" means no limit (None).

    Raises ImproperlyConfigured for anything else, so a typo in the settings is caught at once.
    """
    if text.strip().lower() == OFF:
        return None
    count, _slash, unit = text.strip().partition("/")
    unit = unit.strip().lower()
    period = PERIODS.get(unit) or PERIODS.get(unit.removesuffix("s"))
    if not count.strip().isdigit() or period is None or int(count) < 1:
        raise ImproperlyConfigured(f"A rate limit reads like '120/minute' or 'off', not {text!r}.")
    return Rate(limit=int(count), period=period)


def rate_for(bucket: str) -> Rate | None:
    """The limit configured for `bucket` in settings.RATE_LIMITS (None: unlimited)."""
    return parse_rate(getattr(settings, "RATE_LIMITS", {}).get(bucket, OFF))


def count_hit(*, bucket: str, identity: str, now: float | None = None) -> None:
    """Count one hit by `identity` in `bucket`; raise RateLimited once the limit is passed.

    RateLimited carries `retry_after`: the whole seconds until the current window ends.
    """
    rate = rate_for(bucket)
    if rate is None:
        return
    now = time.time() if now is None else now
    window = int(now // rate.period)
    key = f"ratelimit:{bucket}:{identity}:{window}"
    hits = increment(key, timeout=rate.period + 1)
    if hits > rate.limit:
        retry_after = max(1, math.ceil((window + 1) * rate.period - now))
        raise RateLimited(
            _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": retry_after},
            retry_after=retry_after,
        )


#: The cache alias holding every count (settings.CACHES).
COUNTS_CACHE = "ratelimit"


def counting_cache() -> BaseCache:
    """The cache where limits count, shared by every process that serves."""
    return caches[COUNTS_CACHE]


def increment(key: str, *, timeout: int) -> int:
    """Add one to the count at `key`, created for `timeout` seconds; return the new count.

    Atomic across processes: `add` only creates the counter and `incr` is one atomic step in
    Redis and in core.counting_cache, so N concurrent hits always read N distinct counts.
    """
    cache = counting_cache()
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # the counter expired between add and incr: a new window began
        if cache.add(key, 1, timeout=timeout):
            return 1
        return int(cache.incr(key))


def secret_identity(secret: str) -> str:
    """An identity for a presented credential that is not yet checked.

    The digest of the whole credential, so that nobody can use up a partner's allowance
    without knowing its key.
    """
    return "credential:" + hashlib.sha256(secret.encode()).hexdigest()[:24]


def caller_identity(user: Any, auth: Any) -> str | None:
    """Who calls, once authenticated: the key or token row, else the account; None if anonymous."""
    if isinstance(auth, Model):
        return f"{auth._meta.label_lower}:{auth.pk}"
    if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) is not None:
        return f"user:{user.pk}"
    return None


def address_identity(request: HttpRequest) -> str:
    """The identity of a request's client address (see core.client_address)."""
    return f"ip:{client_ip_address(request) or ''}"


def limit_request(
    request: HttpRequest, *, callers_bucket: str, addresses_bucket: str, caller: str | None
) -> None:
    """Count a request against its client address, and against its caller if known."""
    count_hit(bucket=addresses_bucket, identity=address_identity(request))
    if caller is not None:
        count_hit(bucket=callers_bucket, identity=caller)


View = Callable[..., HttpResponse]


def rate_limited(
    *,
    callers_bucket: str,
    addresses_bucket: str,
    caller: Callable[[HttpRequest], str | None],
    refuse: Callable[[HttpRequest, RateLimited], HttpResponse],
) -> Callable[[View], View]:
    """Decorate a plain Django view with both limits of `limit_request`.

    `caller(request)` names the caller (or None); `refuse(request, error)` renders the 429
    in the view's own format. The decorator adds `Retry-After` to that response.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                limit_request(
                    request,
                    callers_bucket=callers_bucket,
                    addresses_bucket=addresses_bucket,
                    caller=caller(request),
                )
            except RateLimited as error:
                response = refuse(request, error)
                response.headers["Retry-After"] = str(error.retry_after)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


class ApiAddressLimitMiddleware:
    """Count every /api/ request against its client address, before any other work.

    Refuses with 429, Retry-After and the API's error body (`cityhall.core.api`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                count_hit(bucket="api.addresses", identity=address_identity(request))
            except RateLimited as error:
                body = {"error": {"code": error.code, "message": error.message, "fields": {}}}
                response = JsonResponse(body, status=error.status)
                response.headers["Retry-After"] = str(error.retry_after)
                return response
        return self.get_response(request)


class ApiRateThrottle(BaseThrottle):
    """DRF throttle for /api/v1: `api.callers` per key, token or account.

    Raises RateLimited itself, so the 429 follows the API's error contract with Retry-After.
    """

    def allow_request(self, request: Request, view: APIView) -> bool:
        caller = caller_identity(request.user, request.auth)
        if caller is not None:
            count_hit(bucket="api.callers", identity=caller)
        return True
