"""Reads for the back office: notification events and their templates, messages, figures.

Only communications officers and city administrators may use them (`require_template_editor`):
the templates speak for the city, and the messages carry people's addresses. Every message
search is recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import NotFound, PermissionDenied
from cityhall.notifications.models import ChannelKind, Delivery, Notification, Template

MESSAGES_SEARCHED = "notifications.messages_searched"
#: The most messages one search returns, newest first.
SEARCH_LIMIT = 50
#: The statuses the figures count. A delivery being sent right now counts as queued.
FIGURE_STATUSES: tuple[str, ...] = (
    Delivery.Status.QUEUED,
    Delivery.Status.SENT,
    Delivery.Status.DELIVERED,
    Delivery.Status.BOUNCED,
    Delivery.Status.FAILED,
)


def require_template_editor(actor: User) -> None:
    """Raise PermissionDenied unless `actor` holds `Capability.EDIT_MESSAGE_TEMPLATES`."""
    if not has_capability(actor, Capability.EDIT_MESSAGE_TEMPLATES):
        raise PermissionDenied


@dataclass(frozen=True)
class NotificationEvent:
    """One event the platform tells people about, as its templates declare it."""

    code: str
    topic: str
    #: The variables the sender provides, which every template of the event may use.
    variables: tuple[str, ...]
    templates: list[Template]
    #: (code, name) of the site's languages with no template serving every channel.
    missing_languages: list[tuple[str, str]] = field(default_factory=list)

    def template_in(self, language: str, channel: str = "") -> Template | None:
        return next(
            (t for t in self.templates if t.language == language and t.channel == channel), None
        )


def _event_from(code: str, templates: list[Template]) -> NotificationEvent:
    variables: set[str] = set()
    for template in templates:
        variables.update(template.variables)
    covered = {template.language for template in templates if not template.channel}
    return NotificationEvent(
        code=code,
        topic=templates[0].topic,
        variables=tuple(sorted(variables)),
        templates=templates,
        missing_languages=[
            (language, str(name))
            for language, name in settings.LANGUAGES
            if language not in covered
        ],
    )


def notification_events(*, actor: User) -> list[NotificationEvent]:
    """Every event some template exists for, by code, with its templates."""
    require_template_editor(actor)
    by_code: dict[str, list[Template]] = defaultdict(list)
    for template in Template.objects.order_by("code", "channel", "language"):
        by_code[template.code].append(template)
    return [_event_from(code, templates) for code, templates in by_code.items()]


def get_notification_event(*, actor: User, code: str) -> NotificationEvent:
    """The event with this code; NotFound when no template declares it."""
    require_template_editor(actor)
    templates = list(Template.objects.filter(code=code).order_by("channel", "language"))
    if not templates:
        raise NotFound
    return _event_from(code, templates)


def get_template_for_editor(*, actor: User, public_id: UUID) -> Template:
    """One template, for a communications officer or city admin; NotFound if there is none."""
    require_template_editor(actor)
    template = Template.objects.filter(public_id=public_id).first()
    if template is None:
        raise NotFound
    return template


def search_messages(*, actor: User, query: str) -> list[Notification]:
    """Messages to a recipient (exact email) or whose event key contains `query`, newest first.

    Each result carries its `deliveries` and `recipient`. An empty query finds nothing.
    """
    require_template_editor(actor)
    query = query.strip()
    if not query:
        return []
    matches = Q(event_key__icontains=query)
    if "@" in query:
        matches = Q(recipient__email__iexact=query)
    found = list(
        Notification.objects.filter(matches)
        .select_related("recipient")
        .prefetch_related(Prefetch("deliveries", Delivery.objects.order_by("channel")))
        .order_by("-created_at", "-id")[:SEARCH_LIMIT]
    )
    # An email is personal data: the line names whose messages were found, not the address.
    searched = (
        {
            "recipients": sorted(
                {str(message.recipient.public_id) for message in found if message.recipient}
            )
        }
        if "@" in query
        else {"query": query}
    )
    record_audit_event(actor=actor, action=MESSAGES_SEARCHED, data=searched)
    return found


@dataclass(frozen=True)
class ChannelDayFigures:
    """How many deliveries queued on `day` on `channel` stand in each status now."""

    day: dt.date
    channel: str
    counts: dict[str, int]

    @property
    def channel_label(self) -> str:
        return str(ChannelKind(self.channel).label)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def in_order(self) -> list[int]:
        """The counts in FIGURE_STATUSES order, for a table row."""
        return [self.counts.get(status, 0) for status in FIGURE_STATUSES]


def delivery_figures(
    *, actor: User, days: int, today: dt.date | None = None
) -> list[ChannelDayFigures]:
    """Per day (of queuing, local time) and channel, the deliveries in each status, newest first.

    Covers `days` days up to `today` (the local date now by default); days and channels with
    no delivery are left out.
    """
    require_template_editor(actor)
    today = today or timezone.localdate()
    first_day = today - dt.timedelta(days=days - 1)
    start = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    rows = (
        Delivery.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "channel", "status")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: dict[tuple[dt.date, str], dict[str, int]] = defaultdict(dict)
    for row in rows:
        status = (
            Delivery.Status.QUEUED if row["status"] == Delivery.Status.SENDING else row["status"]
        )
        cell = counts[(row["day"], row["channel"])]
        cell[status] = cell.get(status, 0) + row["count"]
    ordered = sorted(counts.items(), key=lambda item: (-item[0][0].toordinal(), item[0][1]))
    return [ChannelDayFigures(day, channel, cell) for (day, channel), cell in ordered]
