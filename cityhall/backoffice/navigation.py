"""The back office's navigation: one table of entries, filtered by the staff member's roles.

An entry appears when the staff member holds one of its roles and its page exists. Pages that
other apps have not mounted yet are skipped, so the navigation never shows a dead link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.selectors import Role, roles_for_staff

if TYPE_CHECKING:
    from cityhall.accounts.models import User


@dataclass(frozen=True)
class NavigationEntry:
    """One line of the table: what it says, where it goes, and who may see it."""

    label: str | Promise
    url_name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class NavigationLink:
    """An entry resolved for one staff member: a label in the active language and an address."""

    label: str
    url: str


EVERY_ROLE = frozenset(Role.values)
CASEWORK = frozenset({Role.AGENT, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN})
MANAGEMENT = frozenset({Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN})
ADMINISTRATION = frozenset({Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN})
CITY_ADMINISTRATION = frozenset({Role.CITY_ADMIN})
COMMUNICATIONS = frozenset({Role.COMMUNICATIONS_OFFICER, Role.CITY_ADMIN})
PRIVACY = frozenset({Role.PRIVACY_OFFICER, Role.CITY_ADMIN})

#: The whole back-office menu, in display order.
NAVIGATION: tuple[NavigationEntry, ...] = (
    NavigationEntry(_("Dashboard"), "backoffice:dashboard", EVERY_ROLE),
    NavigationEntry(_("Work queue"), "backoffice:queue", CASEWORK),
    NavigationEntry(_("Work queue map"), "backoffice:request_map", CASEWORK),
    NavigationEntry(_("Appointments"), "backoffice:appointments", CASEWORK),
    NavigationEntry(_("Alerts"), "backoffice:alerts", COMMUNICATIONS),
    NavigationEntry(_("Notifications"), "backoffice:notification_templates", COMMUNICATIONS),
    NavigationEntry(
        _("Consultations"),
        "backoffice:consultations",
        COMMUNICATIONS | {Role.DEPARTMENT_ADMIN},
    ),
    NavigationEntry(_("Services"), "backoffice:services", ADMINISTRATION),
    NavigationEntry(_("Statistics"), "backoffice:statistics", MANAGEMENT),
    NavigationEntry(_("Staff and roles"), "backoffice:staff", CITY_ADMINISTRATION),
    NavigationEntry(_("Teams"), "backoffice:teams", ADMINISTRATION),
    NavigationEntry(_("Partners"), "backoffice:partners", CITY_ADMINISTRATION),
    NavigationEntry(_("Webhooks"), "backoffice:webhooks", ADMINISTRATION),
    NavigationEntry(_("Privacy requests"), "backoffice:privacy_requests", PRIVACY),
    NavigationEntry(_("Audit log"), "backoffice:audit_log", PRIVACY),
)


def navigation_for(
    user: User | AnonymousUser, *, entries: Iterable[NavigationEntry] = NAVIGATION
) -> list[NavigationLink]:
    """The entries of `entries` that `user` may use and that exist, in order.

    Anyone without a staff role (anonymous visitors, citizens, partners) gets an empty list.
    """
    if isinstance(user, AnonymousUser):
        return []
    roles = roles_for_staff(user)
    links = []
    for entry in entries:
        if roles.isdisjoint(entry.roles):
            continue
        url = _reverse_or_none(entry.url_name)
        if url is not None:
            links.append(NavigationLink(label=str(entry.label), url=url))
    return links


def _reverse_or_none(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None
