"""Telling people they are nearly next: once, when their visit enters the first few of its queue.

"Nearly next" means among the first `QUEUE_NEARLY_NEXT_COUNT` waiting visits of a service at a
facility, in call order (rules.py). Each visit is told once (`nearly_next_notified_at` is
claimed before sending). A signed-in person is told through `notifications.notify` (template
"queue-nearly-next", seeded by a migration); someone who left only an email gets a plain email
in their language, as guest bookings do (notices.py); a phone number alone gets a text message
through the SMS channel. A message that fails is logged and never changes the visit.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from cityhall.appointments.models import Visit
from cityhall.appointments.services_queue.rules import call_order, local_day, queue_rules
from cityhall.core.errors import DeliveryFailed
from cityhall.notifications.channels import worker_channel
from cityhall.notifications.models import ChannelKind, Delivery, Topic
from cityhall.notifications.services import notify

logger = logging.getLogger(__name__)

TEMPLATE = "queue-nearly-next"


def live_page_path(visit: Visit) -> str:
    """The holder's live page of `visit` (served by the portal)."""
    return f"/queue/t/{visit.token}/"


def tell_nearly_next(*, facility_id: int, service_id: int, now: dt.datetime | None = None) -> int:
    """Tell the holders who became nearly next in one queue; returns how many were told."""
    now = now or timezone.now()
    rules = queue_rules()
    waiting = Visit.objects.filter(
        facility_id=facility_id,
        service_id=service_id,
        day=local_day(now),
        status=Visit.Status.WAITING,
    ).select_related("facility", "service", "citizen")
    told = 0
    for visit in call_order(waiting, rules)[: rules.nearly_next_count]:
        if visit.nearly_next_notified_at is not None or not _has_someone_to_tell(visit):
            continue
        claimed = Visit.objects.filter(pk=visit.pk, nearly_next_notified_at__isnull=True).update(
            nearly_next_notified_at=now
        )
        if claimed:
            _tell(visit)
            told += 1
    return told


@task(queue_name="notifications")
def send_nearly_next_notices(facility_id: int, service_id: int) -> int:
    """Background job: tell_nearly_next for one queue after it moved."""
    return tell_nearly_next(facility_id=facility_id, service_id=service_id)


def _has_someone_to_tell(visit: Visit) -> bool:
    if visit.citizen is not None:
        return visit.citizen.is_active
    return bool(visit.contact_email or visit.contact_phone)


def _context(visit: Visit) -> dict[str, Any]:
    return {
        "number": visit.number,
        "service": visit.service.name,
        "place": visit.facility.name,
        "link": f"{settings.CITYHALL_BASE_URL.rstrip('/')}{live_page_path(visit)}",
    }


def _tell(visit: Visit) -> None:
    citizen = visit.citizen
    if citizen is not None:
        with translation.override(citizen.preferred_language or settings.LANGUAGE_CODE):
            context = _context(visit)
        notify(
            recipient=citizen,
            topic=Topic.APPOINTMENTS,
            template=TEMPLATE,
            context=context,
            event_key=f"visit:{visit.public_id}:nearly-next",
        )
        return
    with translation.override(visit.language or settings.LANGUAGE_CODE):
        context = {**_context(visit), "city_name": settings.CITYHALL_CITY_NAME}
        subject = " ".join(
            render_to_string("appointments/email/nearly_next_subject.txt", context).split()
        )
        body = render_to_string("appointments/email/nearly_next_body.txt", context)
    try:
        if visit.contact_email:
            EmailMessage(
                subject=" ".join(subject.split()), body=body, to=[visit.contact_email]
            ).send()
        else:
            _text(visit.contact_phone, " ".join(body.split()))
    except (OSError, DeliveryFailed):
        logger.warning("The nearly-next message of visit %s was not sent.", visit.pk, exc_info=True)


def _text(phone: str, body: str) -> None:
    """Send one text message to a number that has no account (nothing is stored)."""
    channel = worker_channel(ChannelKind.SMS)
    if channel is None:
        raise DeliveryFailed("no SMS channel", permanent=True)
    channel.send(Delivery(channel=ChannelKind.SMS, address=phone, body=body))
