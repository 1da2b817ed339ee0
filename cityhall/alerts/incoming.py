"""State changes of the alerts received from other authorities: storing one (once per sender
and identifier), and noting the city's alert re-broadcast from it."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from cityhall.accounts.models import PartnerOrganisation, User
from cityhall.alerts.cap_input import ReceivedCap
from cityhall.alerts.models import Alert, IncomingAlert
from cityhall.core.audit import record_audit_event


def receive_cap(
    received: ReceivedCap,
    *,
    source: str,
    partner: PartnerOrganisation | None = None,
    feed_url: str = "",
) -> tuple[IncomingAlert, bool]:
    """Store a checked CAP message; a message already received (same sender and identifier)
    is returned as it is. Returns the row and whether it is new."""
    fields = {
        "source": source,
        "partner": partner,
        "feed_url": feed_url,
        "sent": received.sent,
        "status": received.status,
        "msg_type": received.msg_type,
        "category": received.category,
        "urgency": received.urgency,
        "severity": received.severity,
        "certainty": received.certainty,
        "onset": received.onset,
        "expires": received.expires,
        "texts": received.texts,
        "area": received.area,
        "document": received.document,
    }
    try:
        with transaction.atomic():
            incoming, created = IncomingAlert.objects.get_or_create(
                sender=received.sender, identifier=received.identifier, defaults=fields
            )
            if created:
                record_audit_event(
                    actor=None,
                    action="alerts.incoming_received",
                    target=incoming,
                    data={"source": source, "sender": received.sender},
                )
    except IntegrityError:  # Received at the same moment by another worker.
        incoming, created = (
            IncomingAlert.objects.get(sender=received.sender, identifier=received.identifier),
            False,
        )
    return incoming, created


@transaction.atomic
def note_rebroadcast(*, incoming: IncomingAlert, alert: Alert, actor: User) -> None:
    """Record that `alert` was drafted to re-broadcast `incoming` locally."""
    IncomingAlert.objects.filter(pk=incoming.pk).update(rebroadcast_as=alert)
    record_audit_event(
        actor=actor,
        action="alerts.incoming_rebroadcast",
        target=incoming,
        data={"alert": str(alert.public_id)},
    )
