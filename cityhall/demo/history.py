"""The demo city's year of past service requests, stored through the servicerequests services."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from cityhall.accounts.models import PartnerOrganisation, User
from cityhall.catalog.models import Service
from cityhall.demo.citizen import give_requests_to_demo_citizen
from cityhall.demo.generator.administration import PARTNERS
from cityhall.demo.generator.city import GeneratedCity
from cityhall.demo.generator.history import GeneratedServiceRequest, generate_history
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import (
    Contact,
    HistoricalServiceRequest,
    HistoricalStep,
    Location,
    delete_historical_service_requests,
    import_historical_service_requests,
)

LOOKUP_BATCH = 500
#: Statuses of a request the city never handed to anyone.
NOT_HANDED_OVER = frozenset({ServiceRequest.Status.REJECTED, ServiceRequest.Status.DUPLICATE})
#: The archive: requests of the year that ended this long ago, all finished, with the contact
#: details taken down when they were filed, so that the retention report has something past
#: its 24 months (`manage.py apply_retention --dry-run`).
ARCHIVE_AGE = timedelta(days=760)
ARCHIVE_SHARE = 0.05
FINISHED = frozenset(
    {ServiceRequest.Status.CLOSED, ServiceRequest.Status.RESOLVED, ServiceRequest.Status.REJECTED}
)


def create_demo_history(
    city: GeneratedCity, *, catalog: Mapping[str, Any], count: int, now: datetime
) -> list[str]:
    """Store `count` past requests (about) for `city`; return their tracking numbers.

    Reporters are the city's residents, looked up by email; a resident whose account was
    not created by the demo still reports, as any citizen would, and the demo citizen reports
    a few (`demo.citizen`). Requests for a partner's
    services go straight to that partner (when it exists and is active), so that its
    members' work queue has something in it.
    """
    generated = generate_history(city.seed, city, catalog=catalog, now=now, count=count)
    if not generated:
        return []
    sensitive = frozenset(s["code"] for s in catalog["services"] if s.get("is_sensitive"))
    history = give_requests_to_demo_citizen(generated, sensitive_codes=sensitive)
    services = {
        service.code: service
        for service in Service.objects.filter(code__in={g.service_code for g in history})
    }
    users = _users_by_email([g.reporter_email for g in history if g.reporter_email])
    partners = _partners_by_service()
    records = [_record(g, services=services, users=users, partners=partners) for g in history]
    archive = _archive(city, catalog=catalog, count=round(count * ARCHIVE_SHARE), now=now)
    stored = import_historical_service_requests(
        records=[
            _record(g, services=services, users=users, partners=partners, contact=contact)
            for g, contact in archive
        ],
        actor=None,
    )
    stored += import_historical_service_requests(records=records, actor=None)
    return [service_request.tracking_number for service_request in stored]


def _archive(
    city: GeneratedCity, *, catalog: Mapping[str, Any], count: int, now: datetime
) -> list[tuple[GeneratedServiceRequest, Contact]]:
    """Finished requests of the year before ARCHIVE_AGE ago, each with the filer's contact."""
    generated = generate_history(
        city.seed + 1, city, catalog=catalog, now=now - ARCHIVE_AGE, count=count
    )
    rng = random.Random(f"archive-{city.seed}")  # noqa: S311 (reproducible scenery)
    archive = []
    for past in generated:
        if past.status not in FINISHED or past.duplicate_of is not None:
            continue
        resident = rng.choice(city.residents)
        phone = f"+1514555{rng.randrange(100, 200):04d}"  # 555-01xx: fictional numbers
        contact = Contact(name=resident.full_name, email=resident.email, phone=phone)
        archive.append((past, contact))
    return archive


def delete_demo_history(tracking_numbers: Sequence[str]) -> int:
    """Delete the demo's past requests; return how many were deleted."""
    return delete_historical_service_requests(tracking_numbers=tracking_numbers, actor=None)


def _users_by_email(emails: list[str]) -> dict[str, User]:
    users: dict[str, User] = {}
    unique = sorted(set(emails))
    for start in range(0, len(unique), LOOKUP_BATCH):
        batch = unique[start : start + LOOKUP_BATCH]
        users.update({user.email: user for user in User.objects.filter(email__in=batch)})
    return users


def _partners_by_service() -> dict[str, PartnerOrganisation]:
    organisations = {
        organisation.name: organisation
        for organisation in PartnerOrganisation.objects.filter(
            name__in=[partner.name for partner in PARTNERS], is_active=True
        )
    }
    return {
        code: organisations[partner.name]
        for partner in PARTNERS
        if partner.name in organisations
        for code in partner.service_codes
    }


def _record(
    generated: GeneratedServiceRequest,
    *,
    services: Mapping[str, Service],
    users: Mapping[str, User],
    partners: Mapping[str, PartnerOrganisation],
    contact: Contact | None = None,
) -> HistoricalServiceRequest:
    reporter = users.get(generated.reporter_email or "")
    handed_over = generated.status not in NOT_HANDED_OVER
    return HistoricalServiceRequest(
        reporter=reporter,
        service=services[generated.service_code],
        description=generated.description,
        answers=generated.answers,
        location=Location(latitude=generated.latitude, longitude=generated.longitude),
        address_text=generated.address_text,
        channel=ServiceRequest.Channel(generated.channel),
        created_at=generated.created_at,
        steps=tuple(
            HistoricalStep(to_status=step.to_status, at=step.at, public_note=step.public_note)
            for step in generated.steps
        ),
        duplicate_of=generated.duplicate_of,
        assigned_partner=partners.get(generated.service_code) if handed_over else None,
        contact=contact or Contact(),
    )
