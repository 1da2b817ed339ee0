"""The city's geography: districts, addresses and facilities, each point indexed by its H3 cell."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import BaseModel


class District(BaseModel):
    """A district, borough or neighbourhood; its boundary is a GeoJSON (Multi)Polygon in WGS84."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"))
    # The bounding box, so that point-in-district candidates come from one indexed query.
    min_latitude = models.FloatField()
    min_longitude = models.FloatField()
    max_latitude = models.FloatField()
    max_longitude = models.FloatField()
    centroid_latitude = models.FloatField()
    centroid_longitude = models.FloatField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (the French name falls back to the official name)."""
        if (get_language() or "en").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name


class Address(BaseModel):
    """A civic address from the address register, with its point."""

    civic_number = models.CharField(_("civic number"), max_length=20)
    street_name = models.CharField(_("street"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    h3_cell = models.CharField(max_length=16, db_index=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses"
    )
    #: Lower-case, accent-free "number street unit" used by geocoding.
    search_key = models.CharField(max_length=300, db_index=True)
    #: Identifier in the source register, so a re-import updates instead of duplicating.
    source_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["street_name", "civic_number", "unit"]
        indexes = [
            models.Index(fields=["street_name", "civic_number"], name="address_street_number_idx"),
            # Geocoding narrows candidates by civic number before any fuzzy matching.
            models.Index(fields=["civic_number"], name="address_civic_number_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        unit = f"-{self.unit}" if self.unit else ""
        return f"{self.civic_number}{unit} {self.street_name}"


class Facility(BaseModel):
    """A public place citizens go to: a library, pool, service centre, park, arena…"""

    class Kind(models.TextChoices):
        SERVICE_CENTRE = "service_centre", _("Service centre")
        LIBRARY = "library", _("Library")
        POOL = "pool", _("Pool")
        ARENA = "arena", _("Arena")
        PARK = "park", _("Park")
        COMMUNITY_CENTRE = "community_centre", _("Community centre")
        ECOCENTRE = "ecocentre", _("Eco-centre")
        FIRE_STATION = "fire_station", _("Fire station")
        OTHER = "other", _("Other")

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    address_text = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    h3_cell = models.CharField(max_length=16, db_index=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilities"
    )
    is_accessible = models.BooleanField(_("step-free access"), default=True)
    #: Identifier in the source file, so a re-import updates instead of duplicating.
    source_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en
