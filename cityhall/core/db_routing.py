"""Send reads that may lag to the read replica; everything else goes to the primary.

A function marked `@reads_may_lag` (public lists, search: answers that anyone may see a few
seconds late) reads from the `replica` database alias, when DATABASE_REPLICA_URL configures
one, unless:

* its client wrote within the last few seconds (`ReadYourWritesMiddleware`), so that a person
  always sees what they just did;
* a transaction is open on the primary (its reads must see its own writes);
* the replica is down or was more than DATABASE_REPLICA_MAX_LAG_SECONDS behind at its last
  check (`core.replica_health`).

Writes always go to the primary, and so do the reads that follow a write in the same call.
The choice is made once per call, so that everything the call reads comes from one server.
A replica that fails during a call makes the call run again on the primary: a visitor never
sees the replica's failure. See docs/decisions/0014-reads-that-may-lag-go-to-the-replica.md.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from cityhall.core.replica_health import HEALTH_CHECK_SECONDS, replica_health

logger = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
#: The alias settings give DATABASE_REPLICA_URL.
REPLICA = "replica"
#: Until when (Unix time) the client's reads stay on the primary, set after it wrote.
WROTE_COOKIE = "cityhall_wrote"
#: Django's database cache (rate limits may count there): never data a visitor reads back.
_CACHE_APP_LABEL = "django_cache"

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class _Call:
    """The server a `reads_may_lag` call reads from; the primary once the call wrote."""

    alias: str


@dataclass
class _Client:
    """What the request's client did: wrote recently (before), and writes now (or may)."""

    wrote_recently: bool
    writes: bool = False


_call: ContextVar[_Call | None] = ContextVar("cityhall_lag_tolerant_call", default=None)
_client: ContextVar[_Client | None] = ContextVar("cityhall_request_client", default=None)


def replica_is_configured() -> bool:
    """Whether DATABASES holds a replica (DATABASE_REPLICA_URL is set)."""
    return REPLICA in connections.settings


def read_your_writes_seconds() -> float:
    """How long a client's reads stay on the primary after it wrote.

    Longer than the replica may be behind: at most the allowed lag when it was last checked,
    plus what it may have fallen behind since.
    """
    return float(settings.DATABASE_REPLICA_MAX_LAG_SECONDS) + HEALTH_CHECK_SECONDS + 1.0


def client_wrote_recently() -> bool:
    """Whether this request's client wrote within `read_your_writes_seconds()`.

    A request that writes, or may (an unsafe method), counts from its start.
    """
    client = _client.get()
    return client is not None and (client.wrote_recently or client.writes)


def reads_may_lag(function: Callable[P, R]) -> Callable[P, R]:
    """Let `function` read from the replica, which may be a few seconds behind the primary.

    For public answers only (lists, search), never for a person's own data. `function` must
    finish its reads before it returns (evaluate querysets, render the page): later reads go
    to the primary. When the replica fails meanwhile, `function` runs again on the primary,
    so it must have no other effect than its writes to the primary (which make it read the
    primary from then on, and are never repeated: an error after one is raised).
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if _call.get() is not None:  # an enclosing call chose the server
            return function(*args, **kwargs)
        call = _Call(alias=_choose_server())
        token = _call.set(call)
        try:
            return function(*args, **kwargs)
        except (OperationalError, InterfaceError):
            if call.alias != REPLICA:
                raise
            logger.warning("The replica failed a read; reading the primary.", exc_info=True)
            replica_health(REPLICA).mark_down()
            call.alias = PRIMARY
            return function(*args, **kwargs)
        finally:
            _call.reset(token)

    return wrapper


def _choose_server() -> str:
    if not replica_is_configured() or client_wrote_recently():
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    max_lag = float(settings.DATABASE_REPLICA_MAX_LAG_SECONDS)
    return REPLICA if replica_health(REPLICA).is_usable(max_lag=max_lag) else PRIMARY


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads go where `reads_may_lag` chose, the rest to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        call = _call.get()
        if call is None or model._meta.app_label == _CACHE_APP_LABEL:
            return PRIMARY
        # A transaction opened inside the call: it must read what it writes.
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return call.alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        if model._meta.app_label == _CACHE_APP_LABEL:
            return PRIMARY
        call = _call.get()
        if call is not None:
            call.alias = PRIMARY  # read back what was just written
        client = _client.get()
        if client is not None:
            client.writes = True
        return PRIMARY

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool | None:
        # Both aliases hold the same rows.
        if {first._state.db, second._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        return False if db == REPLICA else None


class ReadYourWritesMiddleware:
    """Keep a client's reads on the primary for a while after it wrote.

    A request writes when its method is not safe (it may have written before failing) or
    when it saved anything through the ORM. Its response then sets `WROTE_COOKIE`; requests
    carrying an unexpired one read the primary even where reads may lag. Clients that keep no
    cookies (some API clients) may not see their own writes in lists for a few seconds.
    Without a replica the middleware does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_is_configured():
            return self.get_response(request)
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        client = _Client(wrote_recently=_wrote_recently(request), writes=unsafe)
        token = _client.set(client)
        try:
            response = self.get_response(request)
        finally:
            _client.reset(token)
        if client.writes:
            window = read_your_writes_seconds()
            response.set_cookie(
                WROTE_COOKIE,
                str(math.ceil(time.time() + window)),
                max_age=round(window),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _wrote_recently(request: HttpRequest) -> bool:
    try:
        until = float(request.COOKIES.get(WROTE_COOKIE, ""))
    except ValueError:
        return False
    return time.time() < until
