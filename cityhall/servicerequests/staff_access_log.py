"""Who looked at which citizen's request, and why: the privacy officer's log and the citizen's.

Both read the audit lines that `get_service_request_for_staff` (each opening by staff),
`get_service_request_for_partner` (each opening by a partner) and
`services.contact_reveals.reveal_contact_details` (each opening of the contact details, with
its reason) write. The privacy officer (`Capability.READ_AUDIT_LOG`) filters them by staff
member, citizen and period and sees three kinds of line flagged for review; the citizen sees
the lines about their own requests, naming the department and role but not the person
(docs/decisions/0019).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings

from cityhall.accounts.models import PartnerOrganisation, StaffRole, User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability
from cityhall.core.errors import PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.access import department_ids_handled_by
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import service_requests_with_contact_email
from cityhall.servicerequests.services.contact_reveals import AccessReason

ACCESS_ACTIONS = (
    ServiceRequestAuditAction.VIEWED_BY_STAFF,
    ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED,
    ServiceRequestAuditAction.VIEWED_BY_PARTNER,
)
#: Lines one page of the privacy officer's log lists (the flags count them all).
LOG_LIMIT = 500
#: Lines a citizen's page or report lists, newest first.
CITIZEN_LIMIT = 1_000
#: The window in which opening more than STAFF_READS_UNUSUAL_PER_HOUR requests is flagged.
BURST_WINDOW = timedelta(hours=1)


class Flag:
    """Why a line deserves the privacy officer's look."""

    MANY_FILES = "many_files"
    OUTSIDE_DEPARTMENTS = "outside_departments"
    NOT_FOR_HANDLING = "not_for_handling"


@dataclass(frozen=True)
class Access:
    """One look at a request: an opening (`reason` empty) or an opening of its contact
    details (`reason` an AccessReason value), by staff or by a partner organisation."""

    at: datetime
    kind: str
    reason: str
    note: str
    staff_name: str
    staff_email: str
    roles: tuple[str, ...]
    partner_name: str
    tracking_number: str
    request_id: str
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def reason_label(self) -> str:
        return str(AccessReason(self.reason).label) if self.reason else ""

    @property
    def is_reveal(self) -> bool:
        return self.kind == ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED


@dataclass(frozen=True)
class AccessLog:
    """The lines found (newest first, at most LOG_LIMIT), how many matched, and how many
    of them carry each flag."""

    accesses: list[Access]
    total: int
    flagged: dict[str, int]


def _require_audit_reader(actor: User) -> None:
    if not has_capability(actor, Capability.READ_AUDIT_LOG):
        raise PermissionDenied


def citizen_request_ids(email: str) -> list[str]:
    """Public ids (as text) of the requests filed by the account with this email, or left
    with it as their contact email (found by its keyed digest)."""
    filed = ServiceRequest.objects.filter(reporter__email__iexact=email.strip())
    left = service_requests_with_contact_email(email=email)
    return sorted(
        {str(public_id) for public_id in filed.values_list("public_id", flat=True)}
        | {str(public_id) for public_id in left.values_list("public_id", flat=True)}
    )


def access_log_for_privacy_officer(
    *,
    actor: User,
    since: datetime,
    until: datetime,
    staff: User | None = None,
    citizen_email: str = "",
) -> AccessLog:
    """Openings of requests and of their contact details between `since` and `until`,
    optionally by one staff member and about one citizen's requests (by their account's
    email), newest first, with the flags of Flag. Raises PermissionDenied unless `actor`
    holds READ_AUDIT_LOG."""
    _require_audit_reader(actor)
    events = AuditEvent.objects.filter(
        action__in=ACCESS_ACTIONS, created_at__gte=since, created_at__lt=until
    )
    if staff is not None:
        events = events.filter(recorded_actor_id=staff.pk)
    if citizen_email.strip():
        events = events.filter(
            target_type=ServiceRequest._meta.label_lower,
            target_id__in=citizen_request_ids(citizen_email),
        )
    ordered = list(
        events.order_by("-created_at", "-id").values_list(
            "id", "recorded_actor_id", "action", "target_id", "data", "created_at"
        )
    )
    flags = _flags(ordered)
    accesses = _accesses(ordered[:LOG_LIMIT], flags)
    counts: dict[str, int] = defaultdict(int)
    for found in flags.values():
        for flag in found:
            counts[flag] += 1
    return AccessLog(accesses=accesses, total=len(ordered), flagged=dict(counts))


def accesses_for_citizen(*, citizen: User) -> list[Access]:
    """Every look by staff or partners at the requests `citizen` filed, newest first (at
    most CITIZEN_LIMIT). The caller shows the citizen their own: the portal passes the
    signed-in account; the privacy officer's report goes through `access_report_for_citizen`."""
    ids = [
        str(public_id)
        for public_id in ServiceRequest.objects.filter(reporter=citizen).values_list(
            "public_id", flat=True
        )
    ]
    return _accesses(_access_rows(ids, exclude_actor=citizen.pk), {})


def _access_rows(ids: list[str], *, exclude_actor: int | None) -> list[Row]:
    # Looks by the citizen themselves (a staff member's own request) are not listed.
    events = AuditEvent.objects.filter(
        action__in=ACCESS_ACTIONS, target_type=ServiceRequest._meta.label_lower, target_id__in=ids
    )
    if exclude_actor is not None:
        events = events.exclude(recorded_actor_id=exclude_actor)
    return list(
        events.order_by("-created_at", "-id").values_list(
            "id", "recorded_actor_id", "action", "target_id", "data", "created_at"
        )[:CITIZEN_LIMIT]
    )


def access_report_for_citizen(*, actor: User, citizen_email: str) -> list[Access]:
    """The answer to a citizen's access request: every look at the requests they filed with
    their account or left their email on (who, when, why), for the privacy officer, who checks
    the person's identity first. Raises PermissionDenied unless `actor` holds READ_AUDIT_LOG."""
    _require_audit_reader(actor)
    citizen = User.objects.filter(email__iexact=citizen_email.strip()).first()
    ids = citizen_request_ids(citizen_email)
    return _accesses(_access_rows(ids, exclude_actor=citizen.pk if citizen else None), {})


Row = tuple[int, int | None, str, str, dict[str, str], datetime]


def _flags(rows: list[Row]) -> dict[int, set[str]]:
    """Flags by audit line id: openings past the hourly threshold, requests outside the
    staff member's departments, and contact details opened for another reason than
    handling the request."""
    flags: dict[int, set[str]] = defaultdict(set)
    departments = _departments_of(rows)
    handled: dict[int, set[int]] = {}
    threshold = settings.STAFF_READS_UNUSUAL_PER_HOUR
    windows: dict[int, deque[tuple[datetime, str]]] = defaultdict(deque)
    for event_id, actor_id, action, target_id, data, at in reversed(rows):
        if actor_id is None:
            continue
        if action == ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED and (
            data.get("reason") != AccessReason.HANDLING
        ):
            flags[event_id].add(Flag.NOT_FOR_HANDLING)
        if actor_id not in handled:
            staff = User.objects.filter(pk=actor_id).first()
            handled[actor_id] = department_ids_handled_by(staff) if staff else set()
        department = departments.get(target_id)
        if department is not None and department not in handled[actor_id]:
            flags[event_id].add(Flag.OUTSIDE_DEPARTMENTS)
        if action != ServiceRequestAuditAction.VIEWED_BY_STAFF:
            continue
        window = windows[actor_id]
        window.append((at, target_id))
        while window and at - window[0][0] > BURST_WINDOW:
            window.popleft()
        if len({target for _, target in window}) > threshold:
            flags[event_id].add(Flag.MANY_FILES)
    return flags


def _departments_of(rows: Iterable[Row]) -> dict[str, int]:
    ids = _uuids(row[3] for row in rows)
    return {
        str(public_id): department_id
        for public_id, department_id in ServiceRequest.objects.filter(
            public_id__in=ids
        ).values_list("public_id", "department_id")
    }


def _accesses(rows: list[Row], flags: dict[int, set[str]]) -> list[Access]:
    actor_ids = {row[1] for row in rows if row[1] is not None}
    people = {user.pk: user for user in User.objects.filter(pk__in=actor_ids)}
    roles: dict[int, list[str]] = defaultdict(list)
    for role in StaffRole.objects.filter(user_id__in=actor_ids).select_related("department"):
        where = role.department.name if role.department is not None else ""
        label = str(role.get_role_display())
        roles[role.user_id].append(f"{label}, {where}" if where else label)
    ids = _uuids(row[3] for row in rows)
    numbers = {
        str(public_id): number
        for public_id, number in ServiceRequest.objects.filter(public_id__in=ids).values_list(
            "public_id", "tracking_number"
        )
    }
    partners = _partner_names(rows)
    accesses = []
    for event_id, actor_id, action, target_id, data, at in rows:
        person = people.get(actor_id) if actor_id is not None else None
        accesses.append(
            Access(
                at=at,
                kind=action,
                reason=str(data.get("reason", "")),
                note=str(data.get("note", "")),
                staff_name=(person.full_name or person.email) if person else "",
                staff_email=person.email if person else "",
                roles=tuple(roles.get(actor_id or 0, ())),
                partner_name=partners.get(str(data.get("organisation", "")), ""),
                tracking_number=numbers.get(target_id, ""),
                request_id=target_id,
                flags=frozenset(flags.get(event_id, ())),
            )
        )
    return accesses


def _partner_names(rows: Iterable[Row]) -> dict[str, str]:
    ids = _uuids(
        str(row[4].get("organisation", ""))
        for row in rows
        if row[2] == ServiceRequestAuditAction.VIEWED_BY_PARTNER
    )
    return {
        str(public_id): name
        for public_id, name in PartnerOrganisation.objects.filter(public_id__in=ids).values_list(
            "public_id", "name"
        )
    }


def _uuids(values: Iterable[str]) -> set[UUID]:
    found = set()
    for value in values:
        try:
            found.add(UUID(value))
        except ValueError:
            continue
    return found


def staff_member_by_email(email: str) -> User | None:
    """The staff account with this email, for the log's filter; None when there is none."""
    return User.objects.filter(email__iexact=email.strip(), is_staff=True).first()
