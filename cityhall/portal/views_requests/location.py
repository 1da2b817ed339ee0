"""What the request form's place section needs: the map's settings and the chosen spot.

The map is an enhancement drawn by `portal/location-picker.js`: without JavaScript, tiles or
districts, the address field alone locates a request. Tiles come from `MAP_TILE_URL` when it
is set (its origin is then added to the page's image policy); without it, the city's
districts are drawn so that a click still lands somewhere meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from cityhall.core.errors import InvalidInput
from cityhall.core.middleware import CONTENT_SECURITY_POLICY
from cityhall.places.selectors import nearest_address
from cityhall.portal.forms_requests import ServiceRequestForm

#: How far a clicked spot may be from an address for the page to name it.
NEAREST_ADDRESS_REACH_M = 150.0
_IMAGE_POLICY = "img-src 'self' data: blob:"


@dataclass(frozen=True)
class LocationContext:
    """The map's tile source and attribution, the page's policy, and the spot chosen so far."""

    tile_url: str
    tile_attribution: str
    content_security_policy: str
    chosen_text: str


def location_context(form: ServiceRequestForm) -> LocationContext:
    """The map settings, and a sentence naming the spot already chosen on the map (if any)."""
    tile_url = str(getattr(settings, "MAP_TILE_URL", ""))
    return LocationContext(
        tile_url=tile_url,
        tile_attribution=str(getattr(settings, "MAP_TILE_ATTRIBUTION", "")),
        content_security_policy=policy_allowing_tiles(tile_url),
        chosen_text=_chosen_text(form),
    )


def policy_allowing_tiles(tile_url: str) -> str:
    """The site's Content-Security-Policy with the tile server's origin allowed for images.

    "" when no change is needed (no tiles, or tiles served by the site itself).
    """
    parts = urlsplit(tile_url.replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    origin = f"{parts.scheme}://{parts.netloc}"
    return CONTENT_SECURITY_POLICY.replace(_IMAGE_POLICY, f"{_IMAGE_POLICY} {origin}")


def describe_spot(latitude: float, longitude: float) -> str:
    """ "Near 12 Rue X" for a spot close to an address, else its coordinates, in words."""
    try:
        address = nearest_address(latitude, longitude, max_distance_m=NEAREST_ADDRESS_REACH_M)
    except InvalidInput:
        return ""
    if address is None:
        return _("The spot at latitude %(latitude).5f, longitude %(longitude).5f.") % {
            "latitude": latitude,
            "longitude": longitude,
        }
    return _("Near %(address)s.") % {"address": address.label}


def _chosen_text(form: ServiceRequestForm) -> str:
    if not form.is_bound or form.data.get("address", "").strip():
        return ""
    try:
        latitude = float(form.data.get("latitude", ""))
        longitude = float(form.data.get("longitude", ""))
    except ValueError:
        return ""
    spot = describe_spot(latitude, longitude)
    return _("Chosen on the map: %(spot)s") % {"spot": spot} if spot else ""
