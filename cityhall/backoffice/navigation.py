"""The back office's navigation: one table of entries, filtered by the staff member's roles.

Each entry names the `Capability` its page requires (accounts.permissions), so a link shows
exactly when the page would open. An entry appears when the staff member holds its capability
and its page exists. Pages that
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

from cityhall.accounts.permissions import Capability, roles_with
from cityhall.accounts.selectors import roles_for_staff

if TYPE_CHECKING:
    from cityhall.accounts.models import User


@dataclass(frozen=True)
class NavigationEntry:
    """One line of the table: what it says, where it goes, and who may see it."""

    label: str | Promise
    url_name: str
    capability: Capability

    @property
    def roles(self) -> frozenset[str]:
        """The roles that see the entry: those carrying its capability."""
        return roles_with(self.capability)


@dataclass(frozen=True)
class NavigationLink:
    """An entry resolved for one staff member: a label in the active language and an address."""

    label: str
    url: str


#: The whole back-office menu, in display order.
NAVIGATION: tuple[NavigationEntry, ...] = (
    NavigationEntry(_("Dashboard"), "backoffice:dashboard", Capability.OPEN_BACK_OFFICE),
    NavigationEntry(_("Work queue"), "backoffice:queue", Capability.HANDLE_REQUESTS),
    NavigationEntry(_("Work queue map"), "backoffice:request_map", Capability.HANDLE_REQUESTS),
    NavigationEntry(_("Appointments"), "backoffice:appointments", Capability.HANDLE_APPOINTMENTS),
    NavigationEntry(_("Counter"), "backoffice:counter", Capability.HANDLE_APPOINTMENTS),
    NavigationEntry(_("Alerts"), "backoffice:alerts", Capability.PUBLISH_ALERTS),
    NavigationEntry(
        _("Notifications"), "backoffice:notification_templates", Capability.EDIT_MESSAGE_TEMPLATES
    ),
    NavigationEntry(
        _("Consultations"),
        "backoffice:consultations",
        Capability.RUN_CONSULTATIONS,
    ),
    NavigationEntry(_("Services"), "backoffice:services", Capability.ADMINISTER_CATALOG),
    NavigationEntry(_("Statistics"), "backoffice:statistics", Capability.READ_STATISTICS),
    NavigationEntry(_("Queue figures"), "backoffice:queue_figures", Capability.READ_QUEUE_FIGURES),
    NavigationEntry(_("Staff and roles"), "backoffice:staff", Capability.MANAGE_DEPARTMENT_STAFF),
    NavigationEntry(_("Teams"), "backoffice:teams", Capability.MANAGE_TEAMS),
    NavigationEntry(_("Partners"), "backoffice:partners", Capability.MANAGE_PARTNERS),
    NavigationEntry(_("Webhooks"), "backoffice:webhooks", Capability.MANAGE_WEBHOOKS),
    NavigationEntry(
        _("Privacy requests"), "backoffice:privacy_requests", Capability.HANDLE_PRIVACY_REQUESTS
    ),
    NavigationEntry(_("Audit log"), "backoffice:audit_log", Capability.READ_AUDIT_LOG),
    NavigationEntry(
        _("Records of processing"),
        "backoffice:processing_register",
        Capability.HANDLE_PRIVACY_REQUESTS,
    ),
    NavigationEntry(_("My API tokens"), "backoffice:my_tokens", Capability.OPEN_BACK_OFFICE),
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
