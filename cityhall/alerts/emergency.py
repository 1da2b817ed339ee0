"""What the emergency page shows besides the alerts: where to go and what is closed.

Shelters are the city's community centres, arenas and service centres outside every crisis
area and not closed today; closures are today's facility closures, and the facilities that
lie inside a crisis area (they may be closed or unreachable).
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from django.utils import timezone

from cityhall.alerts.models import Alert
from cityhall.appointments.models import Closure
from cityhall.places.models import Facility

SHELTER_KINDS = (
    Facility.Kind.COMMUNITY_CENTRE,
    Facility.Kind.ARENA,
    Facility.Kind.SERVICE_CENTRE,
)
#: Most shelters and affected facilities listed; the page must stay short on a phone.
MAX_LISTED = 12


@dataclass(frozen=True)
class EmergencyPlaces:
    shelters: list[Facility]
    closures: list[Closure]
    in_area: list[Facility]


def emergency_places(alerts: list[Alert]) -> EmergencyPlaces:
    """Shelters, today's closures and the facilities inside the alerts' areas."""
    today = timezone.localdate()
    closures = list(
        Closure.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("facility")
        .order_by("facility__name_en")[:MAX_LISTED]
    )
    closed = {closure.facility_id for closure in closures}
    areas = [alert.area_geometry() for alert in alerts]
    area = shapely.union_all(areas) if areas else shapely.Point()
    shapely.prepare(area)
    shelters: list[Facility] = []
    in_area: list[Facility] = []
    for facility in Facility.objects.order_by("name_en"):
        inside = bool(area.covers(shapely.Point(facility.longitude, facility.latitude)))
        if inside:
            in_area.append(facility)
        elif facility.kind in SHELTER_KINDS and facility.pk not in closed:
            shelters.append(facility)
    return EmergencyPlaces(shelters[:MAX_LISTED], closures, in_area[:MAX_LISTED])
