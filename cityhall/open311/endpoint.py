"""What every GeoReport v2 view shares: format, language, errors, caching and conditional GET."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from cityhall.core.db_routing import client_wrote_recently
from cityhall.core.errors import NotFound, RateLimited
from cityhall.core.ratelimit import rate_limited, secret_identity
from cityhall.core.unreadable import unreadable_reason
from cityhall.open311.caching import (
    ENTRY_TIMEOUT,
    CachedAnswer,
    answer_key,
    get_answer,
    store_answer,
)
from cityhall.open311.documents import FORMATS, XML, Open311Error, render_error
from cityhall.open311.params import (
    check_body_size,
    check_jurisdiction,
    language,
    response_format,
)

View = Callable[..., HttpResponse]

#: Public answers may be served from shared caches for as long as this server keeps them.
CACHE_CONTROL = f"public, max-age={ENTRY_TIMEOUT}"


def open311_endpoint(view: View) -> View:
    """Wrap a view taking (request, *, response_format, **kwargs).

    The URL's `fmt` is checked, names come out in the `lang` or Accept-Language language, a
    `jurisdiction_id` is checked, and Open311Error or NotFound become the spec's error body.
    An unknown format is reported in XML, the spec's reference format. A body Django refuses
    to read (too large, too many files) is a 400 in the same body, here or, when the rate
    limiter reads it first, through the project's handler400 (`core.unreadable`).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        chosen = fmt if fmt in ("json", "xml") else XML
        try:
            checked = response_format(fmt)
            with translation.override(language(request)):
                check_jurisdiction(request.GET)
                check_body_size(request)
                check_jurisdiction(request.POST)
                response = view(request, response_format=checked, **kwargs)
        except Open311Error as error:
            response = render_error(error, response_format=chosen)
        except NotFound as error:
            response = render_error(Open311Error(404, error.message), response_format=chosen)
        except (SuspiciousOperation, RecursionError) as error:
            _code, message = unreadable_reason(error)
            response = render_error(Open311Error(400, message), response_format=chosen)
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return _rate_limited(wrapper)


def cached(*scopes: str) -> Callable[[View], View]:
    """Serve a GET from the server-side cache, as long as `scopes`' data have not changed.

    Goes between `open311_endpoint` and the view. The view's 200 answers are stored as
    rendered bytes with their ETag and Last-Modified (set by the view with `dated`); other
    answers and other methods pass through. Every GET answer gets validators and may be a 304.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *, response_format: str, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return view(request, response_format=response_format, **kwargs)
            variant = f"{response_format}:{translation.get_language()}"
            key = answer_key(request, scopes=scopes, variant=variant)
            # A client that just wrote reads the primary (core.db_routing): an answer stored
            # meanwhile may come from a replica that had not yet received its write.
            answer = None if client_wrote_recently() else get_answer(key)
            if answer is None:
                response = view(request, response_format=response_format, **kwargs)
                if response.status_code != 200:
                    return response
                answer = CachedAnswer(
                    body=response.content,
                    content_type=response["Content-Type"],
                    etag='"' + hashlib.sha256(response.content).hexdigest()[:32] + '"',
                    last_modified=response.headers.get("Last-Modified"),
                )
                store_answer(key, answer)
            return _conditional(request, answer)

        return wrapper

    return decorate


def dated(response: HttpResponse, last_modified: datetime | None) -> HttpResponse:
    """Set Last-Modified on a view's answer (the latest change of what it shows, if known)."""
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def _conditional(request: HttpRequest, answer: CachedAnswer) -> HttpResponse:
    """The answer, or a 304 when If-None-Match holds its ETag.

    If-Modified-Since alone never gives a 304 (decision 0007): a list also changes when an
    item leaves it (deleted, erased, out of the 90-day window), which no remaining date shows.
    """
    response = get_conditional_response(request, etag=answer.etag)
    if response is None:
        response = HttpResponse(answer.body, content_type=answer.content_type)
    response.headers["ETag"] = answer.etag
    if answer.last_modified:
        response.headers["Last-Modified"] = answer.last_modified
    # Set whole: a fresh response has no Cache-Control to merge with.
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


# Rate limits (maintained with the platform API, see cityhall/core/ratelimit.py): every call
# counts against its client address, and a call naming an api_key against that key too.


def _rate_limit_caller(request: HttpRequest) -> str | None:
    raw = request.GET.get("api_key", "")
    if not raw and request.method == "POST":
        try:
            check_body_size(request)  # an oversized body is refused by the view, unread
        except Open311Error:
            return None
        raw = request.POST.get("api_key", "")
    return secret_identity(raw) if raw else None


def _rate_limit_refusal(request: HttpRequest, error: RateLimited) -> HttpResponse:
    match = request.resolver_match
    fmt = match.kwargs.get("fmt") if match is not None else None
    return render_error(
        Open311Error(429, error.message), response_format=fmt if fmt in FORMATS else XML
    )


_rate_limited = rate_limited(
    callers_bucket="open311.callers",
    addresses_bucket="open311.addresses",
    caller=_rate_limit_caller,
    refuse=_rate_limit_refusal,
)
