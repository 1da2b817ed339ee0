"""Answers for /api/ addresses that match no endpoint, in the API's error contract."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _


def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """404 as `{"error": …}` JSON, so API clients never get the site's HTML error page."""
    body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
    return JsonResponse(body, status=404)
