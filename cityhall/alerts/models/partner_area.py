"""Where a partner organisation (a water, power or transit utility) may send alerts: its
service area, given by the city as districts and/or a GeoJSON polygon. The partner's managers
draft alerts inside it from the partner area of the portal; the city approves them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import BaseModel


class PartnerAlertArea(BaseModel):
    """A partner organisation's service area for alerts."""

    partner = models.OneToOneField(
        "accounts.PartnerOrganisation",
        on_delete=models.CASCADE,
        related_name="alert_area",
        verbose_name=_("partner"),
    )
    districts = models.ManyToManyField(
        "places.District", blank=True, related_name="+", verbose_name=_("districts")
    )
    #: A GeoJSON (Multi)Polygon in WGS84, added to the districts.
    area = models.JSONField(_("service area (GeoJSON geometry)"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.partner_id}"
