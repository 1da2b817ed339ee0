"""311 service requests, their public timeline, followers and duplicate candidates."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cityhall.core.encrypted_fields import (
    DigestsSavedWithTheirSource,
    EncryptedTextField,
    KeyedHashField,
)
from cityhall.core.models import BaseModel


class ServiceRequest(DigestsSavedWithTheirSource, BaseModel):
    """A report of something the city should handle (an Open311 "service request").

    `department` is where routing sent the request, which may differ from the service's own
    department. `tracking_number` is the short reference citizens quote on the phone.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        ON_HOLD = "on_hold", _("On hold")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        DUPLICATE = "duplicate", _("Duplicate")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")
        PHONE = "phone", _("Phone")
        ASSISTANT = "assistant", _("Assistant")

    #: Statuses in which the city is still working on the request.
    OPEN_STATUSES = frozenset(
        {Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ON_HOLD}
    )

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="service_requests"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    #: Identifies an anonymous client (an Open311 device id, say) for idempotent retries.
    client_token = models.CharField(_("client token"), max_length=100, blank=True)
    #: Open311 `device_id`: the reporting device, as the client app names it.
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    #: Open311 `account_id`: the reporter's account in the client app (personal data).
    external_account_id = models.CharField(_("client account id"), max_length=100, blank=True)
    #: Open311 `media_url`: a photo the client hosts itself.
    media_url = models.URLField(_("media URL"), max_length=1000, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    # Contact details and free text are encrypted at rest (core/encrypted_fields.py); the
    # contact email is found by its keyed digest (`selectors.service_requests_with_contact_email`).
    contact_name = EncryptedTextField(_("contact name"), max_length=150, blank=True)
    contact_email = EncryptedTextField(
        _("contact email"), max_length=254, blank=True, validators=[validate_email]
    )
    contact_email_digest = KeyedHashField(source="contact_email")
    contact_phone = EncryptedTextField(_("contact phone"), max_length=40, blank=True)
    description = EncryptedTextField(_("description"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    h3_cell = models.CharField(_("H3 cell"), max_length=20, blank=True, db_index=True)
    address_text = models.CharField(_("address"), max_length=300, blank=True)
    district = models.ForeignKey(
        "places.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        "catalog.Department", on_delete=models.PROTECT, related_name="service_requests"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_service_requests",
    )
    #: A partner organisation working on the request; its members see it in their queue.
    assigned_partner = models.ForeignKey(
        "accounts.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_service_requests",
    )
    #: A team of the request's department working on it. PROTECT: a team that has held requests
    #: is deactivated, never deleted, so that the queue and the timeline keep naming it.
    assigned_team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_service_requests",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority, default=Priority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    #: Why staff moved `due_at` away from the SLA's own date, shown to the citizen.
    due_change_reason = models.CharField(_("reason for the due date"), max_length=300, blank=True)
    #: When the assignee was warned that 80% of the SLA had elapsed (sent once).
    sla_warned_at = models.DateTimeField(_("SLA warning sent"), null=True, blank=True)
    #: When the breach was escalated to the department's supervisors (sent once).
    sla_escalated_at = models.DateTimeField(_("SLA breach escalated"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    #: When the filing's likely duplicates were noted and its confirmation sent (once).
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    #: When a worker took the follow-up on; another may take it once that claim has expired.
    follow_up_claimed_at = models.DateTimeField(_("follow-up taken on"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "due_at"], name="sr_staff_queue_idx"),
            models.Index(fields=["service", "status", "created_at"], name="sr_service_status_idx"),
            # Open311 lists: a service's newest requests come from the index alone; `status` is a
            # trailing key rather than INCLUDE, which SQLite lacks.
            models.Index(
                fields=["service", "-created_at", "-id", "status"], name="sr_service_created_idx"
            ),
            # Open311 `updated_after` / `updated_before`.
            models.Index(fields=["updated_at"], name="sr_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "submitted",
                        "acknowledged",
                        "in_progress",
                        "on_hold",
                        "resolved",
                        "closed",
                        "rejected",
                        "duplicate",
                    ]
                ),
                name="sr_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="sr_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                name="sr_resolved_has_resolved_at",
            ),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="sr_duplicate_iff_duplicate_of",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=F("id")),
                name="sr_not_duplicate_of_itself",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="sr_point_complete_and_on_earth",
            ),
            models.UniqueConstraint(
                fields=["reporter", "idempotency_key"],
                condition=Q(reporter__isnull=False) & ~Q(idempotency_key=""),
                name="sr_idempotency_per_reporter",
            ),
            models.UniqueConstraint(
                fields=["client_token", "idempotency_key"],
                condition=Q(reporter__isnull=True) & ~Q(idempotency_key=""),
                name="sr_idempotency_per_client",
            ),
            # An emptied contact email cannot leave its digest behind (nor the reverse).
            models.CheckConstraint(
                condition=Q(contact_email="", contact_email_digest="")
                | (~Q(contact_email="") & ~Q(contact_email_digest="")),
                name="sr_contact_email_digest_iff_email",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class TrackingNumberCounter(models.Model):
    """The last tracking number handed out in a year; incremented inside the submit transaction."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class StatusChange(BaseModel):
    """One step of a request's timeline: a status change, or a note when the status stays.

    `public_note` is shown to the reporter and followers; `internal_note` only to staff.
    `is_public` says whether the step appears on the citizen's timeline at all.
    """

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ServiceRequest.Status, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ServiceRequest.Status)
    public_note = models.TextField(_("public note"), blank=True)
    internal_note = EncryptedTextField(_("internal note"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.service_request_id}: {self.from_status or '-'} → {self.to_status}"


class Follower(BaseModel):
    """A user who asked to hear about a request's progress."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_service_requests"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service_request", "user"], name="sr_follower_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.service_request_id}"


class DuplicateCandidate(BaseModel):
    """An earlier open request that may describe the same problem, for staff to confirm or not."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="duplicate_candidates"
    )
    candidate = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_request", "candidate"], name="sr_duplicate_candidate_unique"
            ),
            models.CheckConstraint(
                condition=~Q(candidate=F("service_request")), name="sr_candidate_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_request_id} ~ {self.candidate_id} ({self.score:.2f})"


def photo_upload_path(photo: RequestPhoto, filename: str) -> str:
    """Stores photos under an unguessable name; the citizen's file name never reaches disk."""
    return f"requests/{photo.public_id}{filename[filename.rfind('.') :] if '.' in filename else ''}"


def quarantine_upload_path(photo: RequestPhoto, filename: str) -> str:
    """Keeps uploads awaiting cleaning apart, under a name nobody can guess, and never served."""
    return f"photo-quarantine/{uuid4().hex}"


class RequestPhoto(BaseModel):
    """A photo attached to a request, re-encoded without metadata or GPS tags before it is shown.

    The upload waits in `raw_upload` (a private folder, never served) until the worker cleans
    it into `image`; only CLEAN photos are shown to anyone.
    """

    class Status(models.TextChoices):
        AWAITING_CLEANING = "awaiting_cleaning", _("Being prepared")
        CLEAN = "clean", _("Clean")
        REJECTED = "rejected", _("Could not be read")

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="photos"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_CLEANING
    )
    raw_upload = models.FileField(upload_to=quarantine_upload_path, blank=True)
    image = models.ImageField(_("photo"), upload_to=photo_upload_path, blank=True)
    #: The stored photo's type, size and byte count; until it is cleaned, the upload's.
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["service_request_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.service_request_id} photo {self.position}"


class SatisfactionRating(BaseModel):
    """The reporter's rating of how a request was handled, asked for at closure."""

    service_request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="satisfaction_rating"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="sr_satisfaction_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_request_id}: {self.score}/5"


class Comment(BaseModel):
    """A citizen's message to the city about a request: the reporter's or a follower's.

    Not public: the request's staff, its reporter and the comment's author read it (see
    `selectors.comments_for_citizen`). Staff answer with a public update.
    """

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField(_("comment"))

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="sr_comment_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.service_request_id}: comment {self.public_id}"
