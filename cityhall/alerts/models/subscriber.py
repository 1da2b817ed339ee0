"""Who an emergency alert reaches: a point of a person, indexed by its H3 cell.

One `AlertSubscriber` is one place one person asked to be alerted about: a resident's home or
work address, a place they follow, or an address or postal code given without an account (by
email or text message, confirmed through a link before anything is sent to it). Targeting
(`targeting.py`) picks subscribers by `h3_cell`, then checks the points of cells on an area's
edge exactly; the cell is computed at `targeting.subscriber_h3_resolution()` when the point is
set (subscriptions.py), so a change of that resolution means computing the cells again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityhall.core.encrypted_fields import EncryptedTextField, KeyedHashField
from cityhall.core.models import BaseModel


class AlertSubscriber(BaseModel):
    """One place one person is alerted about (see the module docstring)."""

    class Kind(models.TextChoices):
        HOME = "home", pgettext_lazy("where a person lives", "Home")
        WORK = "work", _("Work")
        FOLLOWED_PLACE = "followed", _("Followed place")
        ADDRESS = "address", _("Address")
        POSTAL_CODE = "postal_code", _("Postal code")

    class Channel(models.TextChoices):
        #: An account's own alert preferences (notifications' "Alerts" topic) choose.
        ACCOUNT = "", _("My notification preferences")
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_places",
    )
    # Without an account a subscription is reached through its email or phone only; both are
    # encrypted at rest and found by their keyed digests (core/encrypted_fields.py).
    email = EncryptedTextField(_("email"), max_length=254, blank=True)
    email_digest = KeyedHashField(source="email")
    #: E.164, e.g. +15145550123.
    phone_number = EncryptedTextField(_("mobile phone number"), max_length=16, blank=True)
    phone_number_digest = KeyedHashField(source="phone_number")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    address = models.ForeignKey(
        "places.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    facility = models.ForeignKey(
        "places.Facility", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    h3_cell = models.CharField(max_length=16)
    #: Set when the person proved the email or phone (at once for an account's places).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    #: Exercise and Test alerts reach only these.
    is_test_recipient = models.BooleanField(_("receives exercises and tests"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("alert subscriber")
        indexes = [
            # Targeting reads the confirmed subscribers of a set of cells, by cell.
            models.Index(
                fields=["h3_cell", "id"],
                name="alert_subscriber_cell",
                condition=Q(confirmed_at__isnull=False),
            ),
            models.Index(
                fields=["h3_cell", "id"],
                name="alert_subscriber_test_cell",
                condition=Q(confirmed_at__isnull=False, is_test_recipient=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, channel="")
                | Q(user__isnull=True, channel="email", phone_number="") & ~Q(email="")
                | Q(user__isnull=True, channel="sms", email="") & ~Q(phone_number=""),
                name="alert_subscriber_reachable_one_way",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(kind__in=["address", "postal_code"]),
                name="alert_subscriber_without_account_by_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.h3_cell} ({self.id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The digests are computed on save: saving a contact alone must write its digest too.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {
                f"{name}_digest" for name in ("email", "phone_number") if name in update_fields
            }
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
