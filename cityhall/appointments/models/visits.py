"""Visits: the people at a facility today, waiting for a counter, and the staff on duty.

A `Visit` is one person at one facility for one service: a walk-in ticket, or a booking checked
in on arrival. It moves waiting → called → serving → served, or ends as no_show, cancelled or
transferred. A transfer ends the visit and starts a new one (`transferred_from`) that keeps the
ticket number, the `joined_at` and the `due_at` of the first, so nobody loses their place.

The database holds the rules that must survive racing requests: one number per facility and
day, a booking checked in once, one called or served visit per counter at a time, one open
session per counter and per staff member, and timestamps that match the status.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cityhall.appointments.models.booking import Booking, Counter, CounterService
from cityhall.core.encrypted_fields import EncryptedTextField, KeyedHashField
from cityhall.core.models import BaseModel

#: The contacts kept encrypted, each with its keyed digest beside it.
CONTACT_FIELDS = ("contact_email", "contact_phone")


def new_visit_token() -> str:
    """The secret of a visit's live page (`/queue/t/<token>/`): 192 random bits."""
    return secrets.token_urlsafe(24)


class Visit(BaseModel):
    """One person at a facility for one service, from arrival to leaving the counter."""

    class Kind(models.TextChoices):
        WALK_IN = "walk_in", _("Walk-in")
        APPOINTMENT = "appointment", _("Appointment")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being served")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("Did not come")
        TRANSFERRED = "transferred", _("Transferred")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Online")
        KIOSK = "kiosk", _("Kiosk")
        COUNTER = "counter", _("At a counter")
        CHECK_IN = "check_in", _("Check-in")

    facility = models.ForeignKey("places.Facility", on_delete=models.PROTECT, related_name="visits")
    service = models.ForeignKey(CounterService, on_delete=models.PROTECT, related_name="visits")
    #: The booking checked in; a transfer's new visit leaves it empty (its first visit holds it).
    #: Erasing or retiring the booking keeps the visit, without it, for the figures.
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="visit"
    )
    #: The local day the visit belongs to: numbers restart each day.
    day = models.DateField(_("day"))
    number = models.CharField(_("number"), max_length=8)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.WAITING)
    needs_priority = models.BooleanField(_("priority (accessibility needs)"), default=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    # Someone without an account may leave an address for the "nearly your turn" message.
    contact_email = EncryptedTextField(_("contact email"), max_length=254, blank=True)
    contact_email_digest = KeyedHashField(source="contact_email")
    contact_phone = EncryptedTextField(_("contact phone"), max_length=40, blank=True)
    contact_phone_digest = KeyedHashField(source="contact_phone")
    language = models.CharField(_("language"), max_length=8, default="en")
    #: When the person joined the queue; a transfer keeps the first visit's time (fairness).
    joined_at = models.DateTimeField(_("joined at"))
    #: An appointment's booked time (kept across transfers); empty for walk-ins.
    due_at = models.DateTimeField(_("appointment time"), null=True, blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    times_called = models.PositiveSmallIntegerField(_("times called"), default=0)
    serving_started_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: The counter that called or serves the visit; on a waiting visit, the only counter that
    #: may call it (a transfer to a counter).
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    token = models.CharField(max_length=64, unique=True, default=new_visit_token)
    nearly_next_notified_at = models.DateTimeField(null=True, blank=True)
    #: A ticket form's one-time key: submitting the same form twice returns the first ticket.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("visit")
        indexes = [
            # The waiting visits of a facility, oldest first (queue pages, call next).
            models.Index(
                fields=["facility", "service", "joined_at"],
                condition=Q(status="waiting"),
                name="visit_waiting_idx",
            ),
            # The visits of a counter on a day (counter view, figures).
            models.Index(fields=["counter", "day"], name="visit_counter_day_idx"),
            models.Index(fields=["facility", "day", "status"], name="visit_facility_day_idx"),
        ]
        constraints = [
            # A transfer keeps its first visit's number; every first visit has its own.
            models.UniqueConstraint(
                fields=["facility", "day", "number"],
                condition=Q(transferred_from__isnull=True),
                name="visit_number_per_facility_and_day",
            ),
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(status__in=["called", "serving"]),
                name="visit_one_at_a_time_per_counter",
            ),
            models.CheckConstraint(
                condition=Q(kind="walk_in", due_at__isnull=True)
                | Q(kind="appointment", due_at__isnull=False),
                name="visit_due_time_iff_appointment",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting")
                | Q(
                    called_at__isnull=True,
                    serving_started_at__isnull=True,
                    finished_at__isnull=True,
                ),
                name="visit_waiting_not_yet_called",
            ),
            models.CheckConstraint(
                condition=~Q(status="called")
                | Q(
                    called_at__isnull=False,
                    counter__isnull=False,
                    serving_started_at__isnull=True,
                    finished_at__isnull=True,
                ),
                name="visit_called_by_a_counter",
            ),
            models.CheckConstraint(
                condition=~Q(status="serving")
                | Q(
                    serving_started_at__isnull=False,
                    counter__isnull=False,
                    finished_at__isnull=True,
                ),
                name="visit_serving_at_a_counter",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["served", "no_show", "transferred", "cancelled"])
                | Q(finished_at__isnull=False),
                name="visit_ended_has_end_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="served") | Q(serving_started_at__isnull=False),
                name="visit_served_was_serving",
            ),
            models.CheckConstraint(
                condition=~Q(status="no_show") | Q(called_at__isnull=False),
                name="visit_no_show_was_called",
            ),
            models.CheckConstraint(
                condition=Q(called_at__isnull=True) | Q(called_at__gte=F("joined_at")),
                name="visit_called_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("joined_at")),
                name="visit_finished_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(contact_email="", contact_email_digest="")
                | (~Q(contact_email="") & ~Q(contact_email_digest="")),
                name="visit_email_digest_iff_email",
            ),
            models.CheckConstraint(
                condition=Q(contact_phone="", contact_phone_digest="")
                | (~Q(contact_phone="") & ~Q(contact_phone_digest="")),
                name="visit_phone_digest_iff_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.day})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The digests are computed on save: saving a contact alone must write its digest too.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            digests = {f"{name}_digest" for name in CONTACT_FIELDS if name in update_fields}
            kwargs["update_fields"] = {*update_fields, *digests}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        """Still in the queue or at a counter."""
        return self.status in OPEN_VISIT_STATUSES


OPEN_VISIT_STATUSES = (Visit.Status.WAITING, Visit.Status.CALLED, Visit.Status.SERVING)


class CounterSession(models.Model):
    """A staff member on duty at a counter, from `opened_at` until `closed_at`."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="sessions")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counter_sessions"
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "id"]
        verbose_name = _("counter session")
        indexes = [
            models.Index(fields=["counter", "opened_at"], name="counter_session_opened_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(closed_at__isnull=True),
                name="counter_session_one_open_per_counter",
            ),
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(closed_at__isnull=True),
                name="counter_session_one_open_per_staff",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("opened_at")),
                name="counter_session_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter_id} by {self.staff_id} from {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
