"""The audit-log action codes the servicerequests domain writes (stable: reports filter on them)."""

from __future__ import annotations

from enum import StrEnum


class ServiceRequestAuditAction(StrEnum):
    SUBMITTED = "servicerequests.submitted"
    STATUS_CHANGED = "servicerequests.status_changed"
    ASSIGNED = "servicerequests.assigned"
    MERGED_AS_DUPLICATE = "servicerequests.merged_as_duplicate"
    FOLLOWED = "servicerequests.followed"
    VIEWED_BY_STAFF = "servicerequests.viewed_by_staff"
