"""Partners' alerts: the city gives a partner organisation a service area; its managers draft
alerts inside it from the portal, and each goes straight to the city for approval (the
two-person rule applies: a city officer approves, never the partner)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from cityhall.accounts.models import PartnerMembership, PartnerOrganisation, User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability
from cityhall.alerts.areas import area_from_polygon
from cityhall.alerts.models import Alert, PartnerAlertArea
from cityhall.alerts.services import AlertContent, draft_alert, submit_for_approval
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.places.models import District

#: Degrees (about 10 cm) an area may pass the service area's edge by rounding alone.
EDGE_TOLERANCE_DEGREES = 1e-6


def service_area(partner: PartnerOrganisation) -> BaseGeometry | None:
    """The union of the partner's districts and polygon; None without a service area."""
    found = PartnerAlertArea.objects.filter(partner=partner).first()
    if found is None:
        return None
    shapes = [shape(d.boundary) for d in found.districts.all()]
    if found.area:
        shapes.append(shape(found.area))
    return shapely.union_all(shapes) if shapes else None


def drafting_partners(user: User) -> list[PartnerOrganisation]:
    """The active organisations `user` manages that have a service area for alerts."""
    managed = PartnerMembership.objects.filter(user=user, is_manager=True).values("organisation_id")
    return list(
        PartnerOrganisation.objects.filter(
            id__in=managed, is_active=True, alert_area__isnull=False
        ).order_by("name")
    )


def service_districts(partner: PartnerOrganisation) -> Iterable[District]:
    found = PartnerAlertArea.objects.filter(partner=partner).first()
    return found.districts.order_by("name") if found is not None else District.objects.none()


@transaction.atomic
def send_partner_alert(
    *, actor: User, partner: PartnerOrganisation, content: AlertContent
) -> Alert:
    """Draft the partner's alert and submit it to the city for approval.

    Raises PermissionDenied unless `actor` manages `partner` and it has a service area, and
    InvalidInput when the alert's area leaves the service area.
    """
    if partner not in drafting_partners(actor):
        raise PermissionDenied(_("Only managers of a partner with a service area may do this."))
    allowed = service_area(partner)
    if allowed is None or not allowed.buffer(EDGE_TOLERANCE_DEGREES).covers(content.area.shape):
        message = _("The area must lie within your organisation's service area.")
        raise InvalidInput(message, fields={"area": [message]})
    alert = draft_alert(actor=actor, content=content, partner=partner)
    return submit_for_approval(alert=alert, actor=actor)


@transaction.atomic
def set_service_area(
    *,
    actor: User,
    partner: PartnerOrganisation,
    districts: Iterable[District],
    polygon: Any = None,
) -> PartnerAlertArea:
    """Give `partner` its service area for alerts (districts and/or a GeoJSON polygon)."""
    if not has_capability(actor, Capability.MANAGE_PARTNERS):
        raise PermissionDenied
    chosen = list(districts)
    geometry = area_from_polygon(polygon).geojson() if polygon else None
    if not chosen and geometry is None:
        message = _("Choose at least one district or give a polygon.")
        raise InvalidInput(message, fields={"districts": [message]})
    found, _created = PartnerAlertArea.objects.update_or_create(
        partner=partner, defaults={"area": geometry}
    )
    found.districts.set(chosen)
    record_audit_event(
        actor=actor,
        action="alerts.partner_area_set",
        target=partner,
        data={"districts": [d.code for d in chosen], "polygon": geometry is not None},
    )
    return found
