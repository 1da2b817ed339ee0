"""The demo staff's own caseload: a newcomer signing in as the agent or the supervisor finds
requests assigned to them, the most urgent first, so that "My open requests" and the SLA
warnings on their home page have something in them.

Requests are assigned through `assign_service_request` by the demo city administrator, as a
supervisor would share them out.
"""

from __future__ import annotations

from collections.abc import Sequence

from cityhall.accounts.models import User
from cityhall.demo.teams import demo_admin
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import assign_service_request

#: Demo sign-in → how many open requests of their departments it is given, most urgent first.
CASELOADS = (("agent@example.org", 6), ("supervisor@example.org", 2))


def give_requests_to_demo_staff(*, tracking_numbers: Sequence[str]) -> int:
    """Assign the demo's open requests to its agent and supervisor; return how many.

    Only unassigned requests not handed to a partner are taken; none without the demo city
    administrator.
    """
    admin = demo_admin()
    if admin is None:
        return 0
    given = 0
    for email, count in CASELOADS:
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            continue
        for service_request in _most_urgent(user, tracking_numbers, count):
            assign_service_request(service_request=service_request, actor=admin, assignee=user)
            given += 1
    return given


def _most_urgent(user: User, tracking_numbers: Sequence[str], count: int) -> list[ServiceRequest]:
    return list(
        ServiceRequest.objects.filter(
            tracking_number__in=tracking_numbers,
            department__in=user.staff_roles.values("department"),
            status__in=sorted(ServiceRequest.OPEN_STATUSES),
            assignee__isnull=True,
            assigned_partner__isnull=True,
            due_at__isnull=False,
        )
        .select_related("department")
        .order_by("due_at", "id")[:count]
    )
