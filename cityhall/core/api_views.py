"""Answers for /api/ addresses that match no endpoint, in the API's error contract."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cityhall.core.api import error_body


# Exempt: it changes nothing, and a POST or DELETE to a mistyped address must get this 404
# rather than the CSRF middleware's HTML 403.
@csrf_exempt
def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """404 as `{"error": …}` JSON, so API clients never get the site's HTML error page."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)
