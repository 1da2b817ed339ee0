"""The audit-log action codes the servicerequests domain writes (stable: reports filter on them)."""

from __future__ import annotations

from enum import StrEnum


class ServiceRequestAuditAction(StrEnum):
    SUBMITTED = "servicerequests.submitted"
    STATUS_CHANGED = "servicerequests.status_changed"
    ASSIGNED = "servicerequests.assigned"
    MERGED_AS_DUPLICATE = "servicerequests.merged_as_duplicate"
    FOLLOWED = "servicerequests.followed"
    UNFOLLOWED = "servicerequests.unfollowed"
    VIEWED_BY_STAFF = "servicerequests.viewed_by_staff"
    CONTACT_DETAILS_VIEWED = "servicerequests.contact_details_viewed"
    VIEWED_BY_PARTNER = "servicerequests.viewed_by_partner"
    REROUTED = "servicerequests.rerouted"
    ASSIGNED_TO_PARTNER = "servicerequests.assigned_to_partner"
    PUBLIC_UPDATE_POSTED = "servicerequests.public_update_posted"
    DUE_DATE_MOVED = "servicerequests.due_date_moved"
    SLA_WARNED = "servicerequests.sla_warned"
    SLA_ESCALATED = "servicerequests.sla_escalated"
    SPLIT_FROM_ORIGINAL = "servicerequests.split_from_original"
    RATED = "servicerequests.rated"
