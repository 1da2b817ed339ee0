"""An emergency alert as a CAP 1.2 message, its texts in each language and its workflow.

One `Alert` is one CAP message: a first alert, an update or a cancellation of an earlier one
(`references`). It is drafted, approved by a second authorised person and then published;
`AlertText` holds one CAP `info` block's texts per language (en, fr). The area is kept as a
GeoJSON geometry in WGS84 with how it was given (districts, a polygon, a circle, an upload).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from cityhall.core.models import BaseModel

#: WEA's limit for the short form of a message (characters).
SHORT_TEXT_MAX_LENGTH = 360
#: The languages every alert is written in, each one CAP `info` block.
ALERT_LANGUAGES = ("en", "fr")


def new_identifier() -> str:
    """A CAP identifier unique to this city and safe in a URL: letters, digits and dashes."""
    return f"cityhall-{uuid.uuid4().hex}"


class Alert(BaseModel):
    """One CAP message, from draft to publication, expiry or cancellation."""

    class Status(models.TextChoices):
        """CAP `status`: who the message is for."""

        ACTUAL = "Actual", _("Actual")
        EXERCISE = "Exercise", _("Exercise")
        TEST = "Test", _("Test")
        DRAFT = "Draft", _("Draft (not to be acted on)")

    class MsgType(models.TextChoices):
        ALERT = "Alert", _("Alert")
        UPDATE = "Update", _("Update")
        CANCEL = "Cancel", _("Cancellation")

    class Scope(models.TextChoices):
        PUBLIC = "Public", _("Public")

    class Category(models.TextChoices):
        GEO = "Geo", _("Geophysical")
        MET = "Met", _("Weather")
        SAFETY = "Safety", _("Public safety")
        SECURITY = "Security", _("Security")
        RESCUE = "Rescue", _("Rescue")
        FIRE = "Fire", _("Fire")
        HEALTH = "Health", _("Health")
        ENV = "Env", _("Environment")
        TRANSPORT = "Transport", _("Transport")
        INFRA = "Infra", _("Utilities and infrastructure")
        CBRNE = "CBRNE", _("Chemical, biological, radiological or explosive")
        OTHER = "Other", _("Other")

    class Urgency(models.TextChoices):
        IMMEDIATE = "Immediate", _("Immediate")
        EXPECTED = "Expected", _("Expected")
        FUTURE = "Future", _("Future")
        PAST = "Past", _("Past")
        UNKNOWN = "Unknown", _("Unknown")

    class Severity(models.TextChoices):
        EXTREME = "Extreme", _("Extreme")
        SEVERE = "Severe", _("Severe")
        MODERATE = "Moderate", _("Moderate")
        MINOR = "Minor", _("Minor")
        UNKNOWN = "Unknown", _("Unknown")

    class Certainty(models.TextChoices):
        OBSERVED = "Observed", _("Observed")
        LIKELY = "Likely", _("Likely")
        POSSIBLE = "Possible", _("Possible")
        UNLIKELY = "Unlikely", _("Unlikely")
        UNKNOWN = "Unknown", _("Unknown")

    class AreaKind(models.TextChoices):
        DISTRICTS = "districts", _("Districts")
        POLYGON = "polygon", _("Polygon drawn on the map")
        CIRCLE = "circle", _("Circle drawn on the map")
        UPLOAD = "upload", _("Uploaded GeoJSON")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Replaced by an update")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    identifier = models.SlugField(max_length=120, unique=True, default=new_identifier)
    sender = models.CharField(_("sender"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTUAL)
    msg_type = models.CharField(
        _("message type"), max_length=10, choices=MsgType, default=MsgType.ALERT
    )
    references = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("updates or cancels"),
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope, default=Scope.PUBLIC)
    category = models.CharField(_("category"), max_length=10, choices=Category)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty)
    onset = models.DateTimeField(_("onset"))
    expires = models.DateTimeField(_("expires"))
    web = models.URLField(_("web link"), max_length=500, blank=True)

    area = models.JSONField(_("area (GeoJSON geometry)"))
    area_kind = models.CharField(_("area given as"), max_length=10, choices=AreaKind)
    districts = models.ManyToManyField(
        "places.District", blank=True, related_name="alerts", verbose_name=_("districts")
    )
    circle_latitude = models.FloatField(null=True, blank=True)
    circle_longitude = models.FloatField(null=True, blank=True)
    circle_radius_km = models.FloatField(null=True, blank=True)

    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.DRAFT, db_index=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alerts_drafted"
    )
    partner = models.ForeignKey(
        "accounts.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
        verbose_name=_("drafted for partner"),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts_approved",
    )
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts_rejected",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["state", "expires"], name="alert_state_expires_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(approved_by=F("drafted_by")), name="alert_approver_not_drafter"
            ),
            models.CheckConstraint(
                condition=Q(expires__gt=F("onset")), name="alert_expires_after_onset"
            ),
            models.CheckConstraint(
                condition=Q(msg_type="Alert", references__isnull=True)
                | (~Q(msg_type="Alert") & Q(references__isnull=False)),
                name="alert_references_follow_msg_type",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["published", "superseded", "expired", "cancelled"])
                | Q(approved_by__isnull=False, published_at__isnull=False),
                name="alert_published_after_approval",
            ),
            models.CheckConstraint(
                condition=~Q(area_kind="circle")
                | Q(
                    circle_latitude__isnull=False,
                    circle_longitude__isnull=False,
                    circle_radius_km__gt=0,
                ),
                name="alert_circle_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.identifier

    def area_geometry(self) -> BaseGeometry:
        """The area as a shapely geometry, WGS84 (longitude, latitude)."""
        return shape(self.area)

    def text(self, language: str | None = None) -> AlertText | None:
        """The texts in `language` (the active one by default), falling back to English."""
        wanted = (language or get_language() or "en")[:2]
        texts = {text.language: text for text in self.texts.all()}
        return texts.get(wanted) or texts.get("en")

    def link(self, language: str) -> str:
        """The link given with the alert in `language`: the officer's own, else its page."""
        from cityhall.alerts.links import web_link

        return web_link(self, language)


class AlertText(models.Model):
    """An alert's texts in one language: one CAP `info` block."""

    class Language(models.TextChoices):
        EN = "en", "English"
        FR = "fr", "Français"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=2, choices=Language)
    event = models.CharField(_("event"), max_length=200)
    headline = models.CharField(_("headline"), max_length=160)
    description = models.TextField(_("description"))
    instruction = models.TextField(_("instruction"), blank=True)
    short_text = models.CharField(_("short text"), max_length=SHORT_TEXT_MAX_LENGTH)
    area_description = models.CharField(_("area description"), max_length=500)

    class Meta:
        ordering = ["alert_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "language"], name="alert_text_one_per_language"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("short_text"), SHORT_TEXT_MAX_LENGTH),
                name="alert_text_short_text_length",
            ),
            models.CheckConstraint(
                condition=Q(language__in=ALERT_LANGUAGES), name="alert_text_language_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} [{self.language}] {self.headline}"
