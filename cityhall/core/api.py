"""The API's single error contract: `{"error": {"code", "message", "fields"}}`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response

from cityhall.core.errors import CityHallError


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The body of an API error: `{"error": {"code", "message", "fields"}}`."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def handle_api_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map CityHall and DRF errors to one machine-readable shape; let others become 500s.

    A request Django refuses to read (too large, too many files or fields) and input nested
    past Python's recursion limit are the caller's mistake: 400, never a 500.
    """
    if isinstance(exc, SuspiciousOperation | RecursionError):
        from cityhall.core.unreadable import unreadable_reason  # imports Open311's renderer

        code, message = unreadable_reason(exc)
        return Response(error_body(code, message), status=400)
    if isinstance(exc, CityHallError):
        headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
        return Response(
            error_body(exc.code, exc.message, exc.fields), status=exc.status, headers=headers
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    if not isinstance(exc, drf_exceptions.APIException):
        return None
    wait = getattr(exc, "wait", None)
    headers = {"Retry-After": str(int(wait))} if wait else {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    if isinstance(exc, drf_exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = error_body("invalid", "Some of the information is not valid.", detail)
    else:
        body = error_body(str(exc.default_code), str(exc.detail))
    return Response(body, status=exc.status_code, headers=headers)
