"""The reporter's contact details as a partner may see them: only with the reporter's consent.

A partner organisation handling a request (its members on the portal, its API keys) sees the
work and never the reporter (`audiences.SEES`), except the one part the reporter may allow:
their name, email and phone number, so that the partner can reach them about the request. That
use is the `partner_sharing` purpose of `privacy.purposes`; it is checked through
`privacy.consents.has_consent` at each read, so a withdrawal hides the details from the next
read on. A request filed without an account has nobody who could consent, and shows none.
Webhook payloads never carry contact details, whatever the consent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cityhall.accounts.models import User
from cityhall.privacy.consents import has_consent, users_with_consent
from cityhall.privacy.purposes import PARTNER_SHARING
from cityhall.servicerequests.models import ServiceRequest


@dataclass(frozen=True)
class PartnerContact:
    """How the partner may reach the reporter: what they gave on the request, else their
    account's name and email."""

    name: str
    email: str
    phone: str


def _contact_of(service_request: ServiceRequest, reporter: User) -> PartnerContact:
    return PartnerContact(
        name=service_request.contact_name or reporter.full_name,
        email=service_request.contact_email or reporter.email,
        phone=service_request.contact_phone,
    )


def contact_for_partner(service_request: ServiceRequest) -> PartnerContact | None:
    """The reporter's contact details if they allow sharing them with partners, else None.

    For a caller already allowed to see the request as its partner.
    """
    if service_request.reporter_id is None:
        return None
    reporter = service_request.reporter
    if not has_consent(reporter, PARTNER_SHARING.code):
        return None
    assert reporter is not None  # has_consent refuses None
    return _contact_of(service_request, reporter)


def contacts_for_partner(
    service_requests: Iterable[ServiceRequest],
) -> dict[int, PartnerContact]:
    """`contact_for_partner` for a page of requests, by request id: one consent query and one
    query for the reporters who allow it, whatever the page's length."""
    requests = list(service_requests)
    reporter_ids = {sr.reporter_id for sr in requests if sr.reporter_id is not None}
    allowed = users_with_consent(PARTNER_SHARING.code, reporter_ids)
    reporters = User.objects.in_bulk(allowed) if allowed else {}
    return {
        sr.id: _contact_of(sr, reporters[sr.reporter_id])
        for sr in requests
        if sr.reporter_id in reporters
    }
