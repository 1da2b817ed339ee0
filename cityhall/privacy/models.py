"""The consent ledger, data exports and account closures."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import BaseModel


class ConsentRecord(BaseModel):
    """One decision of a person about one purpose: given or withdrawn, with the text shown.

    The ledger is append-only: a person's current choice for a purpose is their latest record
    (privacy.consents.has_consent); without any record the purpose's default holds.
    """

    class Source(models.TextChoices):
        PORTAL = "portal", _("Portal")
        SIGN_UP = "sign_up", _("Sign-up")
        API = "api", _("API")
        NOTIFICATION_SETTINGS = "notification_settings", _("Notification settings")
        UNSUBSCRIBE_LINK = "unsubscribe_link", _("Unsubscribe link")
        ACCOUNT_CLOSURE = "account_closure", _("Account closure")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(_("purpose"), max_length=60)
    is_given = models.BooleanField(_("given"))
    purpose_version = models.PositiveIntegerField(_("version of the text"))
    #: The words the person saw, in the language they saw them, when they decided.
    text_shown = models.TextField(_("text shown"))
    language = models.CharField(_("language"), max_length=8)
    source = models.CharField(_("where"), max_length=30, choices=Source)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "purpose", "-created_at"], name="consent_latest_idx")
        ]

    def __str__(self) -> str:
        verb = "gave" if self.is_given else "withdrew"
        return f"{self.user_id} {verb} {self.purpose} v{self.purpose_version}"


class DataExport(BaseModel):
    """A copy of a person's data: built by a task, fetched through a link that expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    #: Name of the ZIP in the media storage (private; served only through the signed link).
    file_name = models.CharField(max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.public_id} ({self.status})"

    def is_downloadable(self, now: datetime) -> bool:
        """Whether the file is ready and its link has not expired at `now`."""
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and self.expires_at > now
        )


class AccountClosure(BaseModel):
    """A person's request to close their account and erase their data.

    Confirmed by a link sent by email, then carried out after a grace period (settings
    PRIVACY_CLOSURE_GRACE_DAYS) unless cancelled. Once carried out, `user` is null: the row
    keeps only when, never who.
    """

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Waiting for your confirmation")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account_closures",
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status, default=Status.AWAITING_CONFIRMATION
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    erase_after = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["awaiting_confirmation", "scheduled"]),
                name="one_open_closure_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"closure {self.public_id} ({self.status})"
