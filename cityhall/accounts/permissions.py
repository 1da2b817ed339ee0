"""The one table of what each staff role may do, for the back office and the API alike.

Pages (`backoffice.access.staff_member_required`), the staff API's permissions, the back
office's navigation and the selectors that scope staff to departments all name a `Capability`
and ask this table which roles carry it; none lists roles of its own. A capability marked
departmental is held in the departments where the role was granted (a city-wide grant covers
every department); the others are held wherever the role is.

Citizens, partner members and partner API keys hold no capability: what they may reach is
decided by their own doors (the reporter's request, the partner's assigned requests and the
key's scopes).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from cityhall.accounts.models import StaffRole

Role = StaffRole.Role


class Capability(models.TextChoices):
    """Something a staff member may do; each back-office page and staff endpoint names one."""

    OPEN_BACK_OFFICE = "open_back_office", "Open the back office (dashboard, own account)"
    HANDLE_REQUESTS = "handle_requests", "Handle the requests of my departments"
    READ_STATISTICS = "read_statistics", "Read the statistics of my departments"
    ADMINISTER_CATALOG = "administer_catalog", "Administer the service catalog"
    MANAGE_DEPARTMENT_STAFF = "manage_department_staff", "Grant and revoke roles in my departments"
    MANAGE_STAFF_ACCOUNTS = "manage_staff_accounts", "Create staff accounts, reset two-factor"
    MANAGE_TEAMS = "manage_teams", "Manage the teams of my departments"
    MANAGE_PARTNERS = "manage_partners", "Manage partner organisations and their keys"
    MANAGE_WEBHOOKS = "manage_webhooks", "Manage webhooks and read their deliveries"
    EDIT_MESSAGE_TEMPLATES = "edit_message_templates", "Edit notification texts, read messages"
    PUBLISH_ALERTS = "publish_alerts", "Publish alerts"
    RUN_CONSULTATIONS = "run_consultations", "Run public consultations"
    HANDLE_PRIVACY_REQUESTS = "handle_privacy_requests", "Handle privacy requests"
    READ_AUDIT_LOG = "read_audit_log", "Read the audit log"
    HANDLE_APPOINTMENTS = "handle_appointments", "See the bookings of the city's counters"
    MANAGE_COUNTER_CALENDARS = "manage_counter_calendars", "Close the city's counters on given days"
    READ_QUEUE_FIGURES = "read_queue_figures", "Read the waits and counter figures of every place"


#: Capability → the roles that carry it. The only list of roles per power in the code base.
PERMISSION_TABLE: dict[Capability, frozenset[str]] = {
    Capability.OPEN_BACK_OFFICE: frozenset(Role.values),
    Capability.HANDLE_REQUESTS: frozenset(
        {Role.AGENT, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}
    ),
    Capability.READ_STATISTICS: frozenset(
        {Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}
    ),
    Capability.ADMINISTER_CATALOG: frozenset({Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}),
    Capability.MANAGE_DEPARTMENT_STAFF: frozenset({Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}),
    Capability.MANAGE_STAFF_ACCOUNTS: frozenset({Role.CITY_ADMIN}),
    Capability.MANAGE_TEAMS: frozenset({Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}),
    Capability.MANAGE_PARTNERS: frozenset({Role.CITY_ADMIN}),
    Capability.MANAGE_WEBHOOKS: frozenset({Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}),
    Capability.EDIT_MESSAGE_TEMPLATES: frozenset({Role.COMMUNICATIONS_OFFICER, Role.CITY_ADMIN}),
    Capability.PUBLISH_ALERTS: frozenset({Role.COMMUNICATIONS_OFFICER, Role.CITY_ADMIN}),
    Capability.RUN_CONSULTATIONS: frozenset(
        {Role.COMMUNICATIONS_OFFICER, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}
    ),
    Capability.HANDLE_PRIVACY_REQUESTS: frozenset({Role.PRIVACY_OFFICER, Role.CITY_ADMIN}),
    Capability.READ_AUDIT_LOG: frozenset({Role.PRIVACY_OFFICER, Role.CITY_ADMIN}),
    # Counter staff are agents; facilities belong to no department, so the capability is city-wide.
    Capability.HANDLE_APPOINTMENTS: frozenset(
        {Role.AGENT, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}
    ),
    Capability.MANAGE_COUNTER_CALENDARS: frozenset(
        {Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}
    ),
    # The counters' figures: like statistics, but city-wide (facilities have no department).
    Capability.READ_QUEUE_FIGURES: frozenset(
        {Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}
    ),
}

#: Capabilities held per department: a role granted in one department gives them there only.
DEPARTMENTAL: frozenset[Capability] = frozenset(
    {
        Capability.HANDLE_REQUESTS,
        Capability.READ_STATISTICS,
        Capability.ADMINISTER_CATALOG,
        Capability.MANAGE_DEPARTMENT_STAFF,
        Capability.MANAGE_TEAMS,
        Capability.MANAGE_WEBHOOKS,
    }
)


def roles_with(capability: Capability) -> frozenset[str]:
    """The role codes that carry `capability`."""
    return PERMISSION_TABLE[capability]


def capabilities_of(roles: Iterable[str]) -> frozenset[Capability]:
    """Every capability carried by at least one of `roles`."""
    held = frozenset(roles)
    return frozenset(
        capability for capability, carriers in PERMISSION_TABLE.items() if held & carriers
    )
