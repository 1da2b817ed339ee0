"""Reads the platform API needs beyond `selectors`: partner-key queues and timelines.

A partner API key acts for its organisation, not for a person, so its doors take the
organisation. Like the other selectors, a request the caller may not see raises NotFound.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch, QuerySet

from cityhall.accounts.models import PartnerOrganisation, User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import NotFound
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import ServiceRequest, StatusChange


def service_requests_for_partner_organisation(
    *, organisation: PartnerOrganisation, statuses: list[str] | None = None
) -> QuerySet[ServiceRequest]:
    """Requests assigned to `organisation`, the soonest due first (open ones by default)."""
    return (
        ServiceRequest.objects.filter(
            assigned_partner=organisation,
            status__in=statuses or sorted(ServiceRequest.OPEN_STATUSES),
        )
        .select_related("service", "district")
        .order_by("due_at", "created_at", "id")
    )


def get_service_request_for_partner_organisation(
    *, public_id: UUID, organisation: PartnerOrganisation
) -> ServiceRequest:
    """The request if it is assigned to `organisation`; NotFound otherwise.

    Every successful read is audited, as for partner members (the key has no person, so the
    organisation is named in the audit line).
    """
    service_request = (
        ServiceRequest.objects.select_related("service", "district")
        .filter(public_id=public_id, assigned_partner=organisation)
        .first()
    )
    if service_request is None:
        raise NotFound
    record_audit_event(
        actor=None,
        action=ServiceRequestAuditAction.VIEWED_BY_PARTNER,
        target=service_request,
        data={"organisation": str(organisation.public_id)},
    )
    return service_request


def _public_steps() -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(is_public=True).order_by("created_at", "id")


def with_public_timelines(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """`requests` with their public timelines loaded in one more query (see public_timeline)."""
    return requests.prefetch_related(
        Prefetch("status_changes", queryset=_public_steps(), to_attr="public_steps")
    )


def public_timeline(service_request: ServiceRequest) -> list[StatusChange]:
    """The steps the reporter and followers see, oldest first (preloaded when available)."""
    preloaded: list[StatusChange] | None = getattr(service_request, "public_steps", None)
    if preloaded is not None:
        return preloaded
    return list(_public_steps().filter(service_request=service_request))


def has_request_with_key(*, reporter: User, idempotency_key: str) -> bool:
    """Whether `reporter` already filed a request with this idempotency key."""
    key = idempotency_key.strip()
    return (
        bool(key) and ServiceRequest.objects.filter(reporter=reporter, idempotency_key=key).exists()
    )


def staff_timeline(service_request: ServiceRequest) -> QuerySet[StatusChange]:
    """Every step, with internal notes and who made it, oldest first (for staff only)."""
    return (
        StatusChange.objects.filter(service_request=service_request)
        .select_related("actor")
        .order_by("created_at", "id")
    )
