"""The work queue on a map: the open requests of the staff member's departments.

The page lists the same requests in a table, so it is complete without JavaScript; the map
(`portal/queue-map.js`) draws them from `request_map_points`, a GeoJSON view over the same
access-checked queue selector, each marker linking to the request's page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.views_requests.common import actor_of
from cityhall.portal.views_requests.location import policy_allowing_tiles
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import service_requests_for_staff_queue

#: The most markers (and table rows) the page shows: the soonest due first.
MAX_POINTS = 500


def _located_queue(staff: User) -> QuerySet[ServiceRequest]:
    return service_requests_for_staff_queue(staff=staff).filter(
        latitude__isnull=False, longitude__isnull=False
    )


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_GET
def request_map(request: HttpRequest) -> HttpResponse:
    """The map page, with the located open requests also listed as a table."""
    actor = actor_of(request)
    located = _located_queue(actor)
    total = located.count()
    context = {
        "rows": list(located.select_related("district")[:MAX_POINTS]),
        "total": total,
        "shown_limit": MAX_POINTS,
        "unlocated": service_requests_for_staff_queue(staff=actor).count() - total,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    response = render(request, "backoffice/requests/map.html", context)
    policy = policy_allowing_tiles(settings.MAP_TILE_URL)
    if policy:
        response.headers["Content-Security-Policy"] = policy
    return response


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_GET
def request_map_points(request: HttpRequest) -> JsonResponse:
    """The located open requests as a GeoJSON FeatureCollection of points."""
    features = [_feature(row) for row in _located_queue(actor_of(request))[:MAX_POINTS]]
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features}, content_type="application/geo+json"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _feature(service_request: ServiceRequest) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [service_request.longitude, service_request.latitude],
        },
        "properties": {
            "tracking_number": service_request.tracking_number,
            "service": service_request.service.name,
            "status": str(service_request.get_status_display()),
            "url": reverse("backoffice:request_detail", args=[service_request.public_id]),
        },
    }
