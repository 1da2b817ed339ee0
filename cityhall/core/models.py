"""Shared model building blocks and the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Adds a public UUID (the only identifier that leaves the database) and timestamps."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One line of the append-only, hash-chained audit log: who did what to which object, and when.

    `target_type` and `target_id` name the object without a foreign key, so that the line
    outlives the object (an erased account keeps its history, anonymised).

    Lines are written unsealed (no lock, so writers never wait on each other); the sealer
    (`core.audit_chain.seal_audit_log`) then gives each a `chain_position`, the previous
    line's hash and its own `line_hash` (docs/decisions/0019). The hash covers
    `recorded_actor_id` rather than the `actor` key, because deleting an account clears the
    key; `ip_address` is left out of the hash so that retention can clear it.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    recorded_actor_id = models.BigIntegerField(null=True, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    chain_position = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    previous_hash = models.CharField(max_length=64, blank=True, default="")
    line_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(
                fields=["id"],
                condition=models.Q(chain_position__isnull=True),
                name="audit_unsealed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Record who wrote a new line in a column that deleting the account leaves alone."""
        if self._state.adding and self.recorded_actor_id is None:
            self.recorded_actor_id = self.actor_id
        super().save(*args, **kwargs)


class AuditChainHead(models.Model):
    """The last sealed line of the audit log: its position and hash (one row, id 1).

    Kept apart from the lines so that deleting the log's tail is detected: the chain must
    end exactly here.
    """

    position = models.PositiveBigIntegerField(default=0)
    line_hash = models.CharField(max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"audit chain head at {self.position}"


class ScheduledRun(models.Model):
    """A periodic job enqueued for one minute of the schedule (config/schedule.py).

    The unique pair (job, slot) is what lets any number of schedulers run: each tries to
    insert the row for a due job, and only the one whose insert succeeds enqueues it (see
    core.scheduling.enqueue_due_jobs). `job` names the task with its arguments, so that
    `send_digests("daily")` and `send_digests("weekly")` due in the same minute both run.
    """

    job = models.CharField(max_length=200)
    slot = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="core_scheduled_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} at {self.slot:%Y-%m-%d %H:%M}"
