"""The demo's staff looking at citizens' requests, so that the privacy officer's access log and
the demo citizen's "who looked at my file" page have something to show.

Each look goes through the same doors as in the back office (`get_service_request_for_staff`,
`reveal_contact_details`), so the audit lines are the real ones. One unusual pattern is
included on purpose: the roads agent opens a run of requests in one sitting, more than the
hourly threshold, and opens one reporter's details for "another reason".
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db.models import QuerySet

from cityhall.accounts.models import User
from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL
from cityhall.servicerequests.access import department_ids_handled_by
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import get_service_request_for_staff
from cityhall.servicerequests.services.contact_reveals import AccessReason, reveal_contact_details

#: Who looks at what: the newcomer's agent and supervisor handle Public Works and Roads.
AGENT_EMAIL = "agent@example.org"
SUPERVISOR_EMAIL = "supervisor@example.org"
#: The colleague whose run of openings the privacy officer's page flags.
BURST_EMAIL = "roads@example.org"
#: Requests the agent and the supervisor each open, well under the hourly threshold.
ORDINARY_READS = 8


def give_demo_staff_access_history(*, tracking_numbers: Sequence[str]) -> int:
    """Open some of the demo's requests as its staff would, with reasons; return the looks.

    Skipped (0) when the demo's staff accounts are missing.
    """
    staff = {user.email: user for user in User.objects.filter(email__in=_emails())}
    if len(staff) < len(_emails()):
        return 0
    requests = ServiceRequest.objects.filter(tracking_number__in=tracking_numbers)
    looks = _citizens_own(requests, staff[AGENT_EMAIL], staff[SUPERVISOR_EMAIL])
    looks += _ordinary(requests, staff[AGENT_EMAIL], None)
    looks += _ordinary(requests, staff[SUPERVISOR_EMAIL], AccessReason.LEGAL_DEMAND)
    return looks + _burst(requests, staff[BURST_EMAIL])


def _emails() -> list[str]:
    return [AGENT_EMAIL, SUPERVISOR_EMAIL, BURST_EMAIL]


def _handled_by(requests: QuerySet[ServiceRequest], staff: User) -> list[ServiceRequest]:
    handled = requests.filter(department__staff_roles__user=staff).order_by("-created_at", "id")
    return list(handled.distinct())


def _look(service_request: ServiceRequest, staff: User, reason: str | None, note: str = "") -> int:
    get_service_request_for_staff(public_id=service_request.public_id, staff=staff)
    if reason is None:
        return 1
    reveal_contact_details(service_request=service_request, staff=staff, reason=reason, note=note)
    return 2


def _citizens_own(requests: QuerySet[ServiceRequest], agent: User, supervisor: User) -> int:
    # The demo citizen's requests: opened to handle them, and again by the supervisor over a
    # complaint.
    looks = 0
    for service_request in requests.filter(reporter__email=DEMO_CITIZEN_EMAIL):
        for staff, reason in ((agent, AccessReason.HANDLING), (supervisor, AccessReason.COMPLAINT)):
            if service_request.department_id in department_ids_handled_by(staff):
                looks += _look(service_request, staff, reason)
    return looks


def _ordinary(requests: QuerySet[ServiceRequest], staff: User, extra_reason: str | None) -> int:
    looks = 0
    for index, service_request in enumerate(_handled_by(requests, staff)[:ORDINARY_READS]):
        reason: str | None = AccessReason.HANDLING if index % 3 == 0 else None
        if extra_reason is not None and index == 1:
            reason = extra_reason
        looks += _look(service_request, staff, reason)
    return looks


def _burst(requests: QuerySet[ServiceRequest], staff: User) -> int:
    run = _handled_by(requests, staff)[: settings.STAFF_READS_UNUSUAL_PER_HOUR + 5]
    looks = sum(_look(service_request, staff, None) for service_request in run)
    if run:
        looks += _look(run[-1], staff, AccessReason.OTHER, note="Looking up an old case")
    return looks
