"""What each audience sees of a service request: one table for pages, APIs, Open311 and messages.

Audiences are the public (anyone with the tracking number, Open311 readers), the reporter,
followers, the partner organisation the request is assigned to (its members and API keys) and
the staff who may handle it. `SEES` names the parts of a request each one may see, and
`answers_for` is the only way an output reads the stored answers: staff get every answer, the
others only answers to questions the catalog does not mark staff-only (`ServiceField.is_private`).
An answer to a question no longer in the service's form counts as staff-only, since nobody can
say any more whether it was private.

The API serializers (`api_serializers.AnswersFor`) and the back-office request page take
answers from `answers_for`; a test fails on any other module reading stored answers. The public
status page, Open311 records, partner portal pages (`partner_view_of`), webhook payloads and
notification texts carry no answers at all, which is what `SEES` gives the public and followers.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from cityhall.catalog.models import ServiceField
from cityhall.servicerequests.models import ServiceRequest


class Audience(StrEnum):
    PUBLIC = "public"
    REPORTER = "reporter"
    FOLLOWER = "follower"
    PARTNER = "partner"
    #: Staff who may handle the request but have not said why they need the citizen's
    #: details (`services.contact_reveals`): everything but the contact and private answers.
    STAFF_BEFORE_REASON = "staff_before_reason"
    STAFF = "staff"


class Part(StrEnum):
    """A part of a request beyond its number, service, status and public timeline, which every
    audience sees (coarsened location for sensitive services aside)."""

    DESCRIPTION = "description"
    ADDRESS = "address"
    EXACT_LOCATION = "exact_location"
    PUBLIC_ANSWERS = "public_answers"
    PRIVATE_ANSWERS = "private_answers"
    PHOTOS = "photos"
    REPORTER = "reporter"
    CONTACT = "contact"
    INTERNAL_NOTES = "internal_notes"
    ROUTING = "routing"


#: Audience → the parts of a request it sees. The one place that says so.
SEES: dict[Audience, frozenset[Part]] = {
    Audience.PUBLIC: frozenset(),
    Audience.FOLLOWER: frozenset(),
    Audience.REPORTER: frozenset(
        {Part.DESCRIPTION, Part.ADDRESS, Part.EXACT_LOCATION, Part.PUBLIC_ANSWERS, Part.PHOTOS}
    ),
    Audience.PARTNER: frozenset(
        {Part.DESCRIPTION, Part.ADDRESS, Part.EXACT_LOCATION, Part.PUBLIC_ANSWERS, Part.PHOTOS}
    ),
    Audience.STAFF_BEFORE_REASON: frozenset(Part)
    - {Part.REPORTER, Part.CONTACT, Part.PRIVATE_ANSWERS},
    Audience.STAFF: frozenset(Part),
}


def sees(audience: Audience, part: Part) -> bool:
    """Whether `audience` may see `part` of a request."""
    return part in SEES[audience]


def public_field_codes(service_id: int) -> frozenset[str]:
    """Codes of the service's questions whose answers are not staff-only."""
    return frozenset(
        ServiceField.objects.filter(service_id=service_id, is_private=False).values_list(
            "code", flat=True
        )
    )


def answers_for(
    service_request: ServiceRequest,
    audience: Audience,
    *,
    public_codes: Callable[[int], frozenset[str]] = public_field_codes,
) -> dict[str, Any]:
    """The request's answers `audience` may see, by field code.

    `public_codes` gives a service's public codes by service id; a caller listing many requests
    passes one that remembers them. It is asked only when there are answers to filter.
    """
    stored: dict[str, Any] = dict(service_request.answers or {})
    if sees(audience, Part.PRIVATE_ANSWERS):
        return stored
    if not (stored and sees(audience, Part.PUBLIC_ANSWERS)):
        return {}
    shown = public_codes(service_request.service_id)
    return {code: value for code, value in stored.items() if code in shown}
