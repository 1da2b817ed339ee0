"""Public map data for the request form: district outlines, streets, nearest address, search.

All of it is the city's public geography (no request, no person), so these answer anyone,
and the outlines and streets are cached: they change only when the districts or the address
register are imported again.
"""

from __future__ import annotations

from typing import Any

import shapely
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET
from shapely.geometry import mapping, shape

from cityhall.places.models import District
from cityhall.places.selectors import search_places
from cityhall.places.streets import register_version, street_lines
from cityhall.portal.views_requests.location import describe_spot

#: Outlines are simplified to about this many degrees (roughly 5 m): plenty for a click.
SIMPLIFY_DEGREES = 0.00005
#: Coordinates are rounded to this grid (about 10 cm).
GRID_DEGREES = 0.000001
#: Street coordinates are rounded to this many decimals (about 1 m), to keep them small.
STREET_DECIMALS = 5
#: How long browsers and the server keep the outlines and the streets.
OUTLINES_MAX_AGE_SECONDS = 3600
ADDRESS_SEARCH_LIMIT = 5
MAX_QUERY_LENGTH = 200


@require_GET
def district_outlines(request: HttpRequest) -> JsonResponse:
    """The city's districts as a GeoJSON FeatureCollection, named in the active language."""
    language = (get_language() or "en")[:2]
    version = District.objects.aggregate(count=Count("id"), last=Max("updated_at"))
    last = version["last"].timestamp() if version["last"] else 0
    key = f"portal.district_outlines.{language}.{version['count']}.{last}"
    collection = cache.get_or_set(key, _outlines, OUTLINES_MAX_AGE_SECONDS)
    response = JsonResponse(collection, content_type="application/geo+json")
    response.headers["Cache-Control"] = f"public, max-age={OUTLINES_MAX_AGE_SECONDS}"
    return response


def _outlines() -> dict[str, Any]:
    features = []
    for district in District.objects.order_by("name"):
        outline = shapely.set_precision(
            shape(district.boundary).simplify(SIMPLIFY_DEGREES, preserve_topology=True),
            GRID_DEGREES,
        )
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(outline),
                "properties": {"code": district.code, "name": district.display_name},
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_GET
@gzip_page
def street_map(request: HttpRequest) -> JsonResponse:
    """The streets as GeoJSON lines traced from the address register, each with its name and
    where to write it (`label`, a [longitude, latitude] halfway along its longest piece)."""
    key = f"portal.street_map.{register_version()}"
    collection = cache.get_or_set(key, _streets, OUTLINES_MAX_AGE_SECONDS)
    response = JsonResponse(
        collection,
        content_type="application/geo+json",
        json_dumps_params={"separators": (",", ":")},  # a tenth smaller for phones
    )
    response.headers["Cache-Control"] = f"public, max-age={OUTLINES_MAX_AGE_SECONDS}"
    return response


def _streets() -> dict[str, Any]:
    features = []
    for line in street_lines():
        pieces = [
            [[round(lon, STREET_DECIMALS), round(lat, STREET_DECIMALS)] for lat, lon in piece]
            for piece in line.pieces
            if len(piece) > 1
        ]
        if not pieces:
            continue  # one lone address draws no line
        latitude, longitude = line.middle()
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": pieces},
                "properties": {
                    "name": line.name,
                    "label": [round(longitude, STREET_DECIMALS), round(latitude, STREET_DECIMALS)],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@require_GET
def nearest_address(request: HttpRequest) -> JsonResponse:
    """`{"description": "Near 12 Rue X."}` for `?latitude=&longitude=`; 400 for bad numbers."""
    try:
        latitude = float(request.GET.get("latitude", ""))
        longitude = float(request.GET.get("longitude", ""))
    except ValueError:
        return JsonResponse({"description": ""}, status=400)
    description = describe_spot(latitude, longitude)
    return JsonResponse({"description": description}, status=200 if description else 400)


@require_GET
def address_search(request: HttpRequest) -> JsonResponse:
    """The addresses, then landmarks, best matching `?q=`, each with its label and point.

    `label` says when a result is a landmark (a facility found by its name).
    """
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    matches = search_places(query, limit=ADDRESS_SEARCH_LIMIT)
    results = [
        {
            "label": m.shown_label,
            "latitude": m.latitude,
            "longitude": m.longitude,
            "is_landmark": m.is_landmark,
        }
        for m in matches
    ]
    return JsonResponse({"results": results})
