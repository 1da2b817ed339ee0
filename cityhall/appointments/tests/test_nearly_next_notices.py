"""Holders are told once when their visit enters the first few of its queue."""

import pytest
from django.core import mail

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.services_queue import call_next, take_ticket
from cityhall.appointments.services_queue.nearly_next import tell_nearly_next
from cityhall.appointments.tests.factories import bookable_place, local, staff_on_duty
from cityhall.notifications.models import Notification

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")


def ticket(place, **extra):
    return take_ticket(
        facility=place.facility,
        service=place.service,
        channel="portal",
        actor=None,
        now=NOW,
        **extra,
    )


def test_a_holder_entering_the_first_few_is_told_once(settings):
    settings.QUEUE_NEARLY_NEXT_COUNT = 1
    place = bookable_place()
    staff = staff_on_duty(place.counters[0], at=NOW)
    ticket(place, contact_email="first@example.org")
    second = ticket(place, contact_email="second@example.org")
    assert (
        tell_nearly_next(facility_id=place.facility.id, service_id=place.service.id, now=NOW) == 1
    )

    call_next(counter=place.counters[0], actor=staff, now=NOW)
    told = tell_nearly_next(facility_id=place.facility.id, service_id=place.service.id, now=NOW)
    again = tell_nearly_next(facility_id=place.facility.id, service_id=place.service.id, now=NOW)

    second.refresh_from_db()
    assert (told, again) == (1, 0)
    assert second.nearly_next_notified_at == NOW
    assert [message.to for message in mail.outbox] == [
        ["first@example.org"],
        ["second@example.org"],
    ]
    assert second.number in mail.outbox[1].subject
    assert f"/queue/t/{second.token}/" in mail.outbox[1].body


def test_a_signed_in_holder_is_told_through_their_notifications(settings):
    settings.QUEUE_NEARLY_NEXT_COUNT = 3
    place = bookable_place()
    citizen = UserFactory()
    visit = ticket(place, citizen=citizen)

    tell_nearly_next(facility_id=place.facility.id, service_id=place.service.id, now=NOW)

    notification = Notification.objects.get(recipient=citizen)
    assert notification.event_key == f"visit:{visit.public_id}:nearly-next"
