"""Answering requests that cannot be read (400), or that failed (500), in the format their
address promises.

Django refuses some requests while reading them, before or outside any view's own error
handling: a body over DATA_UPLOAD_MAX_MEMORY_SIZE, more than DATA_UPLOAD_MAX_NUMBER_FILES
files or DATA_UPLOAD_MAX_NUMBER_FIELDS fields, or another SuspiciousOperation. It then calls
the project's handler400, `bad_request`, which answers in the platform API's error contract
under /api/, in GeoReport v2's error body under /open311/, and with Django's page elsewhere.
`api_error_response` gives the same choice to handler500 (`core.views.server_error`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from cityhall.core.api import error_body
from cityhall.open311.documents import FORMATS, XML, Open311Error, render_error


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: the refusal in the API's or GeoReport v2's error format, or Django's page."""
    code, message = unreadable_reason(exception)
    answer = api_error_response(request, 400, code, message)
    if answer is not None:
        return answer
    return defaults.bad_request(request, exception or SuspiciousOperation())


def api_error_response(
    request: HttpRequest, status: int, code: str, message: str
) -> HttpResponse | None:
    """The error in the platform API's or GeoReport v2's format, by address; None elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    if request.path.startswith("/open311/"):
        extension = request.path.rsplit(".", 1)[-1]
        return render_error(
            Open311Error(status, message),
            response_format=extension if extension in FORMATS else XML,
        )
    return None


def unreadable_reason(exception: BaseException | None) -> tuple[str, str]:
    """A machine code and a message saying why a request could not be read."""
    if isinstance(exception, TooManyFilesSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return "too_many_files", _("Send at most %(count)d files.") % {"count": count}
    if isinstance(exception, TooManyFieldsSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return "too_many_fields", _("Send at most %(count)d fields.") % {"count": count}
    if isinstance(exception, RequestDataTooBig):
        return "too_large", _("The request is too large.")
    if isinstance(exception, RecursionError):
        return "too_deep", _("The request is nested too deeply.")
    return "bad_request", _("The request could not be read.")
