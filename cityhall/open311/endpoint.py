"""What every GeoReport v2 view shares: format, language, errors and conditional GET."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _

from cityhall.core.errors import NotFound
from cityhall.open311.documents import XML, Open311Error, render_error
from cityhall.open311.params import check_jurisdiction, language, response_format

View = Callable[..., HttpResponse]

#: Public lists may be served from shared caches for this long (seconds).
MAX_AGE = 60


def open311_endpoint(view: View) -> View:
    """Wrap a view taking (request, *, response_format, **kwargs).

    The URL's `fmt` is checked, names come out in the `lang` or Accept-Language language, a
    `jurisdiction_id` is checked, and Open311Error or NotFound become the spec's error body.
    An unknown format is reported in XML, the spec's reference format.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        chosen = fmt if fmt in ("json", "xml") else XML
        try:
            checked = response_format(fmt)
            with translation.override(language(request)):
                check_jurisdiction(request.GET)
                check_jurisdiction(request.POST)
                response = view(request, response_format=checked, **kwargs)
        except Open311Error as error:
            response = render_error(error, response_format=chosen)
        except NotFound:
            response = render_error(Open311Error(404, _("Not found.")), response_format=chosen)
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapper


def conditional(
    request: HttpRequest, response: HttpResponse, *, last_modified: datetime | None
) -> HttpResponse:
    """Add ETag (a digest of the body), Last-Modified and Cache-Control.

    Answers 304 when If-None-Match holds the current ETag. If-Modified-Since alone never
    does: a list also changes when a row leaves it (deleted, erased, out of the 90-day
    window), which no remaining row's date shows.
    """
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        response = not_modified
    response.headers["ETag"] = etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
