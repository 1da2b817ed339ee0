"""The staff home: what each role works on, as counts that link to the work.

A card appears for each capability the staff member holds, so someone with two roles sees both
sets. Casework counts come from one read of the open requests in the member's departments;
the SLA states are worked out as the queue works them out (`sla_states.sla_state`), so a card's
count is the number of rows its link shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability, capabilities_of
from cityhall.accounts.selectors import (
    partner_organisations_for_admin,
    roles_for_staff,
    staff_members_for_admin,
)
from cityhall.backoffice.views_requests.sla_states import SlaState, sla_state
from cityhall.catalog.selectors import services_for_catalog_admin
from cityhall.notifications.staff_selectors import notification_events
from cityhall.servicerequests.selectors import service_requests_for_staff_queue, teams_for_admin
from cityhall.servicerequests.staff_reads import StaffReads, staff_reads_for_privacy_officer

#: How far back the privacy officer's count of staff reads goes, and how many are listed.
READS_WINDOW = timedelta(days=7)
READS_LISTED = 10


@dataclass(frozen=True)
class Card:
    """One figure on the home page: what it counts, how many, and where the work is."""

    key: str
    label: str
    count: int
    url: str
    #: "alert" or "warning" when the count is work at risk and is not zero.
    tone: str = ""


@dataclass
class Section:
    heading: str
    cards: list[Card] = field(default_factory=list)
    intro: str = ""


@dataclass
class Dashboard:
    sections: list[Section] = field(default_factory=list)
    staff_reads: StaffReads | None = None

    @property
    def cards(self) -> list[Card]:
        return [card for section in self.sections for card in section.cards]


def dashboard_for(actor: User, *, now: datetime) -> Dashboard:
    """The cards `actor` sees, grouped by what they work on."""
    held = capabilities_of(roles_for_staff(actor))
    dashboard = Dashboard()
    if Capability.HANDLE_REQUESTS in held:
        dashboard.sections += _casework(actor, now, oversees=Capability.READ_STATISTICS in held)
    if Capability.ADMINISTER_CATALOG in held:
        dashboard.sections.append(_administration(actor, held))
    if Capability.EDIT_MESSAGE_TEMPLATES in held:
        dashboard.sections.append(_communications(actor))
    if Capability.READ_AUDIT_LOG in held:
        dashboard.staff_reads = staff_reads_for_privacy_officer(
            actor=actor, since=now - READS_WINDOW, limit=READS_LISTED
        )
        dashboard.sections.append(_privacy(dashboard.staff_reads))
    return dashboard


def _queue_url(**filters: str) -> str:
    query = urlencode(filters)
    return f"{reverse('backoffice:queue')}?{query}" if query else reverse("backoffice:queue")


#: How a card of requests in an SLA state stands out when it counts any.
_SLA_TONES = {SlaState.DUE_SOON: "warning", SlaState.OVERDUE: "alert"}


def _sla_card(key: str, label: str, tally: dict[str, int], state: SlaState, **filters: str) -> Card:
    """A card counting `tally`'s requests in `state`, linking to the queue filtered to them."""
    count = tally[state]
    tone = _SLA_TONES[state] if count else ""
    return Card(key, label, count, _queue_url(**filters, sla=state), tone)


def _casework(actor: User, now: datetime, *, oversees: bool) -> list[Section]:
    rows = service_requests_for_staff_queue(staff=actor).values_list(
        "assignee_id", "created_at", "due_at"
    )
    mine = {SlaState.DUE_SOON: 0, SlaState.OVERDUE: 0, "all": 0}
    pool = {SlaState.DUE_SOON: 0, SlaState.OVERDUE: 0, "all": 0, "unassigned": 0}
    for assignee_id, created_at, due_at in rows:
        state = sla_state(created_at=created_at, due_at=due_at, now=now)
        counts = [pool, mine] if assignee_id == actor.pk else [pool]
        for tally in counts:
            tally["all"] += 1
            if state in (SlaState.DUE_SOON, SlaState.OVERDUE):
                tally[state] += 1
        if assignee_id is None:
            pool["unassigned"] += 1
    own = Section(
        _("My work"),
        [
            Card("mine", _("My open requests"), mine["all"], _queue_url(assigned="mine")),
            _sla_card(
                "mine_due_soon", _("Mine due soon"), mine, SlaState.DUE_SOON, assigned="mine"
            ),
            _sla_card("mine_overdue", _("Mine overdue"), mine, SlaState.OVERDUE, assigned="mine"),
            Card(
                "unassigned",
                _("Unassigned in my departments"),
                pool["unassigned"],
                _queue_url(assigned="unassigned"),
            ),
        ],
    )
    if not oversees:
        return [own]
    teams = service_requests_for_staff_queue(staff=actor, teams_of=actor).count()
    backlog = Section(
        _("My departments' backlog"),
        [
            Card("backlog", _("Open requests"), pool["all"], _queue_url()),
            _sla_card("overdue", _("Overdue: SLA breached"), pool, SlaState.OVERDUE),
            _sla_card("due_soon", _("Due soon"), pool, SlaState.DUE_SOON),
            Card("my_teams", _("Held by my teams"), teams, _queue_url(assigned="my_teams")),
        ],
    )
    # The unassigned pool is the supervisor's to share out, so it moves to the backlog; one
    # who holds no request of their own (a city administrator, usually) sees the backlog only.
    backlog.cards.insert(1, own.cards.pop())
    return [own, backlog] if mine["all"] else [backlog]


@dataclass(frozen=True)
class _Administered:
    """One kind of thing an administrator keeps: a card counting it, linking to its page."""

    key: str
    label: Promise
    count: Callable[..., QuerySet[Any]]
    url_name: str
    #: None: every administrator reaches it (the catalog).
    needs: Capability | None = None


_ADMINISTERED = (
    _Administered(
        "services",
        gettext_lazy("Services in the catalog"),
        services_for_catalog_admin,
        "backoffice:services",
    ),
    _Administered(
        "teams", gettext_lazy("Teams"), teams_for_admin, "backoffice:teams", Capability.MANAGE_TEAMS
    ),
    _Administered(
        "staff",
        gettext_lazy("Staff members"),
        staff_members_for_admin,
        "backoffice:staff",
        Capability.MANAGE_DEPARTMENT_STAFF,
    ),
    _Administered(
        "partners",
        gettext_lazy("Partner organisations"),
        partner_organisations_for_admin,
        "backoffice:partners",
        Capability.MANAGE_PARTNERS,
    ),
)


def _administration(actor: User, held: frozenset[Capability]) -> Section:
    cards = [
        Card(kind.key, str(kind.label), kind.count(actor=actor).count(), reverse(kind.url_name))
        for kind in _ADMINISTERED
        if kind.needs is None or kind.needs in held
    ]
    return Section(_("Administration"), cards)


def _communications(actor: User) -> Section:
    events = notification_events(actor=actor)
    missing = sum(len(event.missing_languages) for event in events)
    section = Section(
        _("Communications"),
        [
            Card(
                "notification_events",
                _("Messages the city sends"),
                len(events),
                reverse("backoffice:notification_templates"),
            ),
            Card(
                "missing_translations",
                _("Texts missing in a language"),
                missing,
                reverse("backoffice:notification_templates"),
                "warning" if missing else "",
            ),
        ],
    )
    alerts = _url_or_empty("backoffice:alerts")
    if not alerts:
        section.intro = _("Publishing public alerts will come to this page.")
    return section


def _privacy(reads: StaffReads) -> Section:
    return Section(
        _("Privacy"),
        [
            Card(
                "staff_reads",
                _("Times staff opened a citizen's request in the last 7 days"),
                reads.count,
                "#staff-reads",
            )
        ],
        intro=_(
            "Every time staff open a citizen's request, the audit log records who and when. "
            "The latest openings are listed below. Handling privacy requests (access, "
            "correction, erasure) and searching the whole audit log will come to this page."
        ),
    )


def _url_or_empty(url_name: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""
