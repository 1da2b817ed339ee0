"""Operational endpoints outside the portal and back office, and the server-error handler."""

from __future__ import annotations

import sys

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from cityhall.core.unavailable import database_unavailable_response, is_database_unavailable
from cityhall.core.unreadable import api_error_response


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the process can reach its database (for load balancers)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 with Retry-After while the database is unreachable, else a 500: in the
    API's or GeoReport v2's error format under their addresses, the 500 page elsewhere.

    Django calls it while handling the exception, which `sys.exc_info` still holds.
    """
    error = sys.exc_info()[1]
    if error is not None and is_database_unavailable(error):
        return database_unavailable_response(request)
    message = _("Something went wrong on the server; the error is logged.")
    answer = api_error_response(request, 500, "server_error", message)
    return answer if answer is not None else defaults.server_error(request)
