"""Answering 503 Service Unavailable, with Retry-After, while the database cannot be reached.

`core.views.server_error` (the project's handler500) asks `is_database_unavailable` about the
exception that reached Django, and answers `database_unavailable_response` instead of a 500:
in the platform API's error contract under /api/, in GeoReport v2's error body under
/open311/, and as a calm page in both official languages everywhere else. An outage is
something clients should wait out, not a bug in what they sent, so they are told when to
come back; the response is never cached.
"""

from __future__ import annotations

import sqlite3

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from cityhall.core.api import error_body
from cityhall.open311.documents import FORMATS, XML, Open311Error, render_error

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30

# PostgreSQL SQLSTATEs meaning "no usable server right now": connection exceptions (class 08),
# the server shutting down, crashed or still starting (57P01-57P03), and no free connection
# slot (53300). Other errors, deadlocks and timeouts included, stay 500s: they are about
# one request, not about the database being away.
_UNAVAILABLE_SQLSTATE_CLASSES = ("08",)
_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# SQLite: another process holds the database longer than the busy timeout, or the file
# cannot be opened. Its other OperationalErrors (no such table, syntax) are bugs.
_UNAVAILABLE_SQLITE_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_CANTOPEN})


def is_database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached now, rather than a query failed.

    True for Django's InterfaceError (a connection already lost), and for an OperationalError
    whose driver error is client-side (PostgreSQL: no SQLSTATE, such as "connection refused"
    or "server closed the connection unexpectedly") or carries one of the states above.
    """
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return (cause.sqlite_errorcode & 0xFF) in _UNAVAILABLE_SQLITE_CODES
    if cause is None or not hasattr(cause, "sqlstate"):
        return False
    sqlstate = cause.sqlstate
    return (
        sqlstate is None
        or sqlstate.startswith(_UNAVAILABLE_SQLSTATE_CLASSES)
        or sqlstate in _UNAVAILABLE_SQLSTATES
    )


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 for `request`, in the format its address promises. Touches no database."""
    if request.path.startswith("/api/"):
        message = _("The service is unavailable for a moment. Try again shortly.")
        response: HttpResponse = JsonResponse(
            error_body("service_unavailable", message), status=503
        )
    elif request.path.startswith("/open311/"):
        extension = request.path.rsplit(".", 1)[-1]
        error = Open311Error(503, _("The service is unavailable for a moment. Try again shortly."))
        response = render_error(error, response_format=extension if extension in FORMATS else XML)
    else:
        # Rendered without a request, so no context processor reaches for the database.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
