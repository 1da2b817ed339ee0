"""The demo citizen's own requests: a newcomer signing in as demo@example.org finds "My
requests" with something in it — one still open, one the city has settled — and one request
of a neighbour's that they follow.

The history is generated for residents; before it is stored, the demo citizen is made the
reporter of the newest open request and the newest settled one (never of a sensitive service,
never of a duplicate). After it is stored, they follow the newest other open request through
`follow_service_request`, as they would from its status page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cityhall.accounts.models import User
from cityhall.demo.generator.administration import DEMO_ACCOUNTS
from cityhall.demo.generator.history import GeneratedServiceRequest
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import follow_service_request

DEMO_CITIZEN_EMAIL = DEMO_ACCOUNTS[0].email
#: Statuses of a request the city has settled.
SETTLED = frozenset({ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED})
#: Statuses that end a request without it being settled or open.
ENDED = frozenset({ServiceRequest.Status.REJECTED, ServiceRequest.Status.DUPLICATE}) | SETTLED


def _is_open(request: GeneratedServiceRequest) -> bool:
    return request.status not in ENDED


def _is_settled(request: GeneratedServiceRequest) -> bool:
    return request.status in SETTLED


def give_requests_to_demo_citizen(
    generated: Sequence[GeneratedServiceRequest], *, sensitive_codes: frozenset[str]
) -> list[GeneratedServiceRequest]:
    """`generated` with the demo citizen as reporter of its newest open and settled requests."""
    history = list(generated)
    for is_wanted in (_is_open, _is_settled):
        candidates = [
            index
            for index, request in enumerate(history)
            if is_wanted(request)
            and request.duplicate_of is None
            and request.service_code not in sensitive_codes
            and request.reporter_email != DEMO_CITIZEN_EMAIL
        ]
        if candidates:
            newest = candidates[-1]  # the history is oldest first
            history[newest] = replace(history[newest], reporter_email=DEMO_CITIZEN_EMAIL)
    return history


def follow_a_neighbours_request(*, tracking_numbers: Sequence[str]) -> bool:
    """Have the demo citizen follow the newest open request someone else filed; say if one was."""
    citizen = User.objects.filter(email=DEMO_CITIZEN_EMAIL, is_active=True).first()
    if citizen is None:
        return False
    neighbour = (
        ServiceRequest.objects.filter(
            tracking_number__in=tracking_numbers, service__is_sensitive=False
        )
        .exclude(status__in=ENDED)
        .exclude(reporter=citizen)
        .select_related("service")
        .order_by("-created_at")
        .first()
    )
    if neighbour is None:
        return False
    follow_service_request(service_request=neighbour, user=citizen)
    return True
