"""Anonymous visitors' public pages, served from the cache while what they show is unchanged.

A page is stored as its rendered bytes and the headers its view set, under a key made of the
address (scheme, host, path), the language, the release's translations and the current version
of each data set it shows (`cityhall.open311.caching`, bumped by `cityhall.open311.events`).
A change to one of those data sets makes the next visitor's page a fresh one; entries expire
after `ENTRY_TIMEOUT` seconds, for writes that bump no version (see decision 0008).

Only a visitor who cannot be signed in and has nothing of their own on the page is served a
shared page: a GET or HEAD without a query string, carrying neither a session cookie nor
a flash-message cookie. Everyone else gets the page rendered for them, and it is not stored.
A rendering is stored only if it is a 200 that used nothing of the visitor's: no CSRF token
(a form posting to us), no cookie set, no session written, no flash message. Pages with such
parts are thus never shared, whatever their template becomes.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as once
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers

from cityhall.alerts.caching import ALERTS
from cityhall.open311.caching import ENTRY_TIMEOUT, current_versions

View = Callable[..., HttpResponse]

_ENTRY_KEY = "portal:page:{digest}"
#: Pages each process also keeps in its own memory, the most recently stored or read: a key
#: names the data versions, so a kept copy is as current as the shared cache's, and serving
#: it saves a round trip to a shared cache (Redis) on every visit.
RECENT_PAGES = 256
#: A version nothing bumps: it starts afresh when the shared cache is cleared or loses it, and
#: with it every process's kept copies become unreachable.
_EPOCH = "portal-pages"
_recent: OrderedDict[str, tuple[float, StoredPage]] = OrderedDict()
_recent_lock = threading.Lock()
#: Headers the response middleware sets on every answer, hit or miss; never stored.
_SET_BY_MIDDLEWARE = frozenset({"content-length", "set-cookie"})


@dataclass(frozen=True)
class StoredPage:
    """A 200 page as its view answered it: body, the view's own headers and an ETag."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str


def shared_with_anonymous_visitors(*scopes: str) -> Callable[[View], View]:
    """Serve the view's page to anonymous visitors from the cache while `scopes`' data stay
    the same (`cityhall.open311.caching.CATALOG`, `REQUESTS`, `PLACES`).

    Name every data set the page shows: a page showing one that is not named stays stale
    for up to ENTRY_TIMEOUT seconds after a change. A stored page is answered with an ETag
    (a 304 when If-None-Match holds it) and `Vary: Cookie`, as the rendered page is.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_shared_visit(request):
                return view(request, *args, **kwargs)
            key = page_key(request, scopes)
            page = _read(key)
            if page is None:
                response = view(request, *args, **kwargs)
                page = storable(request, response)
                if page is None:
                    return response
                _store(key, page)
            return _answer(request, page)

        return wrapper

    return decorate


def is_shared_visit(request: HttpRequest) -> bool:
    """Whether this visit may get the page everyone anonymous gets: a plain GET (or HEAD) by a
    visitor without a session, and so surely signed out, and without flash messages."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def page_key(request: HttpRequest, scopes: tuple[str, ...]) -> str:
    """The cache key of the page at this address, in the active language, for the current
    versions of `scopes`' data and of the release's translations."""
    source = repr(
        (
            request.scheme,
            request.get_host(),
            request.path,
            translation.get_language(),
            translations_release(),
            scopes,
            # Every portal page shows the crisis banner while a severe alert is current.
            current_versions((*scopes, ALERTS, _EPOCH)),
        )
    )
    return _ENTRY_KEY.format(digest=hashlib.blake2b(source.encode(), digest_size=20).hexdigest())


def storable(request: HttpRequest, response: HttpResponse) -> StoredPage | None:
    """`response` as a page to share, or None when it is not a 200 or holds anything of this
    visitor's: a CSRF token (the token marks the cookie for sending), a cookie, a session write,
    a flash message (shown on the page or kept for the next)."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
        or (messages is not None and len(messages))
    ):
        return None
    body = response.content
    etag = response.headers.get("ETag") or ('"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _SET_BY_MIDDLEWARE and name.lower() != "etag"
    )
    return StoredPage(body=body, headers=headers, etag=etag)


def _read(key: str) -> StoredPage | None:
    """The page under `key`: from this process's copies, else from the shared cache."""
    now = time.monotonic()
    with _recent_lock:
        recent = _recent.get(key)
    if recent is not None and recent[0] > now:
        return recent[1]
    page = cache.get(key)
    if not isinstance(page, StoredPage):
        return None
    _keep(key, page, until=now + ENTRY_TIMEOUT)
    return page


def _store(key: str, page: StoredPage) -> None:
    cache.set(key, page, timeout=ENTRY_TIMEOUT)
    _keep(key, page, until=time.monotonic() + ENTRY_TIMEOUT)


def _keep(key: str, page: StoredPage, *, until: float) -> None:
    with _recent_lock:
        _recent[key] = (until, page)
        _recent.move_to_end(key)
        while len(_recent) > RECENT_PAGES:
            _recent.popitem(last=False)


@once
def translations_release() -> str:
    """A digest of the compiled translation files this process reads: a new release's
    wording is never served from pages its predecessor stored in a shared cache."""
    files = sorted(
        path for directory in settings.LOCALE_PATHS for path in Path(directory).rglob("*.mo")
    )
    stamps = repr([(str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in files])
    return hashlib.blake2b(stamps.encode(), digest_size=8).hexdigest()


def _answer(request: HttpRequest, page: StoredPage) -> HttpResponse:
    unchanged = get_conditional_response(request, etag=page.etag)
    response = unchanged or HttpResponse(page.body)
    for name, value in page.headers:
        if unchanged is None or name.lower() != "content-type":
            response.headers[name] = value
    response.headers["ETag"] = page.etag
    # As on the rendered page, where the session middleware adds it: a signed-in visitor's
    # page at the same address differs.
    patch_vary_headers(response, ["Cookie"])
    return response
