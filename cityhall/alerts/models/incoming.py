"""Alerts received from upstream authorities (provincial or national alerting, weather
services), by the CAP input endpoint or the feed poller, offered to officers to re-broadcast.

The CAP document is kept as received (after validation); the parts officers read and a
re-broadcast starts from are copied out: the first `info` block per language and the area.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import BaseModel


class IncomingAlert(BaseModel):
    """One CAP message from another authority, unique by its sender and identifier."""

    class Source(models.TextChoices):
        API = "api", _("Sent to the CAP endpoint")
        FEED = "feed", _("Read from an upstream feed")

    source = models.CharField(_("source"), max_length=10, choices=Source)
    partner = models.ForeignKey(
        "accounts.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_alerts",
        verbose_name=_("sent by partner"),
    )
    feed_url = models.URLField(_("feed"), max_length=500, blank=True)
    identifier = models.CharField(_("identifier"), max_length=250)
    sender = models.CharField(_("sender"), max_length=250)
    sent = models.DateTimeField(_("sent"))
    status = models.CharField(_("status"), max_length=10)
    msg_type = models.CharField(_("message type"), max_length=10)
    category = models.CharField(_("category"), max_length=10, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, blank=True)
    severity = models.CharField(_("severity"), max_length=10, blank=True)
    certainty = models.CharField(_("certainty"), max_length=10, blank=True)
    onset = models.DateTimeField(_("onset"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    #: Per CAP language tag's first two letters: event, headline, description, instruction,
    #: area description, web (the first info block of each language).
    texts = models.JSONField(_("texts"), default=dict)
    #: The union of the info blocks' polygons and circles, as a GeoJSON geometry (lon/lat).
    area = models.JSONField(_("area (GeoJSON geometry)"), null=True, blank=True)
    document = models.TextField(_("CAP document"))
    rebroadcast_as = models.ForeignKey(
        "alerts.Alert",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rebroadcast_of",
        verbose_name=_("re-broadcast as"),
    )

    class Meta:
        ordering = ["-sent", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "identifier"], name="incoming_alert_unique_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender} {self.identifier}"

    def text(self, language: str = "en") -> dict[str, str]:
        """The texts in `language`, else English, else the first language given."""
        texts: dict[str, dict[str, str]] = self.texts or {}
        return texts.get(language) or texts.get("en") or next(iter(texts.values()), {})
