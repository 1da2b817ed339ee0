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

#: The demo sign-ins given requests, and how many of every `SHARE_OUT` each is given: the
#: agent most, the supervisor some, shared out in turn so that both have some when few are open.
CASELOADS = (("agent@example.org", 3), ("supervisor@example.org", 1))
SHARE_OUT = sum(share for _email, share in CASELOADS)
#: How many open requests are shared out at most.
REQUESTS_SHARED = 8


def give_requests_to_demo_staff(*, tracking_numbers: Sequence[str]) -> int:
    """Assign the demo's most urgent open requests to its agent and supervisor; return how many.

    Only unassigned requests not handed to a partner, in departments where both work, are
    taken; none without the demo city administrator or either sign-in.
    """
    admin = demo_admin()
    people = {
        user.email: user
        for user in User.objects.filter(
            email__in=[email for email, _share in CASELOADS], is_active=True
        )
    }
    if admin is None or len(people) < len(CASELOADS):
        return 0
    turns = [people[email] for email, share in CASELOADS for _turn in range(share)]
    requests = _most_urgent(list(people.values()), tracking_numbers, REQUESTS_SHARED)
    for number, service_request in enumerate(requests):
        assignee = turns[number % SHARE_OUT]
        assign_service_request(service_request=service_request, actor=admin, assignee=assignee)
    return len(requests)


def _most_urgent(
    people: list[User], tracking_numbers: Sequence[str], count: int
) -> list[ServiceRequest]:
    shared_departments = set.intersection(
        *(set(person.staff_roles.values_list("department_id", flat=True)) for person in people)
    )
    return list(
        ServiceRequest.objects.filter(
            tracking_number__in=tracking_numbers,
            department_id__in=shared_departments,
            status__in=sorted(ServiceRequest.OPEN_STATUSES),
            assignee__isnull=True,
            assigned_partner__isnull=True,
            due_at__isnull=False,
        )
        .select_related("department")
        .order_by("due_at", "id")[:count]
    )
