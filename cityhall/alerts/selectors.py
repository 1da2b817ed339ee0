"""Reads of alerts: the public ones (current, by identifier) and the officers' own lists."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import PartnerMembership, User
from cityhall.alerts.models import Alert
from cityhall.alerts.services.workflow import is_publisher
from cityhall.core.errors import NotFound

State = Alert.State
#: States of the messages that were published once: their CAP documents stay at their URLs.
PUBLISHED_STATES = (State.PUBLISHED, State.SUPERSEDED, State.EXPIRED, State.CANCELLED)
#: Severities that put the portal in crisis mode when an Actual alert of them is current.
CRISIS_SEVERITIES = (Alert.Severity.EXTREME, Alert.Severity.SEVERE)


def _with_texts(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    return alerts.select_related("references").prefetch_related("texts")


def current_alerts(*, now: datetime | None = None) -> list[Alert]:
    """Published messages not yet expired, newest first: the CAP feeds' entries (cancellations
    included, so that aggregators learn of them; exercises and tests too, marked so)."""
    moment = now or timezone.now()
    alerts = Alert.objects.filter(state=State.PUBLISHED, expires__gt=moment).exclude(
        status=Alert.Status.DRAFT
    )
    return list(_with_texts(alerts).order_by("-published_at", "-id"))


def current_public_alerts(*, now: datetime | None = None) -> list[Alert]:
    """What the portal lists: current Actual alerts and updates (not cancellations)."""
    return [
        alert
        for alert in current_alerts(now=now)
        if alert.status == Alert.Status.ACTUAL and alert.msg_type != Alert.MsgType.CANCEL
    ]


def crisis_alerts(*, now: datetime | None = None) -> list[Alert]:
    """The current public alerts severe enough for crisis mode, most severe first."""
    severe = [a for a in current_public_alerts(now=now) if a.severity in CRISIS_SEVERITIES]
    return sorted(severe, key=lambda a: CRISIS_SEVERITIES.index(a.severity))


def published_alert(identifier: str) -> Alert:
    """A message that was published, by its CAP identifier; NotFound otherwise."""
    alert = _with_texts(Alert.objects.filter(identifier=identifier, state__in=PUBLISHED_STATES))
    found = alert.first()
    if found is None:
        raise NotFound
    return found


def earlier_messages(alert: Alert) -> list[Alert]:
    """The messages `alert` follows, oldest first (empty for a first alert)."""
    chain: list[Alert] = []
    current = alert.references
    while current is not None:
        chain.append(current)
        current = current.references
    return chain[::-1]


def alerts_for_officer(actor: User) -> QuerySet[Alert]:
    """The alerts `actor` may see in the back office: every alert for an officer who
    publishes alerts, their organisations' alerts for a partner's member, none otherwise."""
    alerts = _with_texts(Alert.objects.select_related("drafted_by", "approved_by", "partner"))
    if is_publisher(actor):
        return alerts
    organisations = PartnerMembership.objects.filter(user=actor).values("organisation_id")
    return alerts.filter(Q(partner_id__in=organisations))


def alert_for_officer(actor: User, public_id: str) -> Alert:
    """One alert `actor` may see, by public id; NotFound otherwise."""
    found = alerts_for_officer(actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound
    return found
