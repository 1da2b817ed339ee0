"""Taking a walk-in ticket: numbering, channels, and the refusals."""

import datetime as dt
import uuid

import pytest

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import Closure, CounterService, PublicHoliday, Visit
from cityhall.appointments.services_queue import take_ticket
from cityhall.appointments.services_queue.errors import (
    FacilityClosed,
    TicketLimitReached,
    WalkInNotOffered,
)
from cityhall.appointments.tests.factories import CounterServiceFactory, bookable_place, local
from cityhall.core.errors import InvalidInput
from cityhall.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")


def ticket(place, **extra):
    values = {"facility": place.facility, "service": place.service, "channel": "kiosk"}
    return take_ticket(**{**values, "actor": None, "now": NOW, **extra})


def test_tickets_are_numbered_in_sequence_per_facility_and_day():
    place = bookable_place()

    first, second = ticket(place), ticket(place)
    next_day = ticket(place, now=NOW + dt.timedelta(days=1))

    assert (first.number, second.number, next_day.number) == ("A001", "A002", "A001")
    assert first.status == Visit.Status.WAITING
    assert first.joined_at == NOW
    assert first.token != second.token


def test_a_ticket_is_audited_without_personal_data():
    place = bookable_place()

    visit = ticket(place, channel="portal", contact_email="someone@example.org")

    event = AuditEvent.objects.get(action="queue.ticket_taken")
    assert event.target_id == str(visit.public_id)
    assert "someone@example.org" not in str(event.data)


def test_a_booking_only_service_gives_no_ticket():
    place = bookable_place(access=CounterService.Access.BOOKING)

    with pytest.raises(WalkInNotOffered):
        ticket(place)


def test_a_service_not_offered_at_the_facility_gives_no_ticket():
    place = bookable_place()

    with pytest.raises(WalkInNotOffered):
        ticket(place, service=CounterServiceFactory())


@pytest.mark.parametrize("moment", ["2031-03-04 08:59", "2031-03-04 12:00"])
def test_no_ticket_outside_opening_hours(moment):
    place = bookable_place()

    with pytest.raises(FacilityClosed):
        ticket(place, now=local(moment))


def test_no_ticket_on_a_public_holiday_or_a_closure():
    place = bookable_place()
    PublicHoliday.objects.create(day=NOW.date(), name_en="Holiday", name_fr="Congé")
    Closure.objects.create(
        facility=place.facility,
        starts_on=NOW.date() + dt.timedelta(days=1),
        ends_on=NOW.date() + dt.timedelta(days=1),
        reason_en="Works",
        reason_fr="Travaux",
    )

    with pytest.raises(FacilityClosed):
        ticket(place)
    with pytest.raises(FacilityClosed):
        ticket(place, now=NOW + dt.timedelta(days=1))


def test_a_person_holds_at_most_the_allowed_open_tickets(settings):
    settings.QUEUE_MAX_OPEN_TICKETS_PER_PERSON = 1
    place = bookable_place()
    citizen = UserFactory()
    ticket(place, channel="portal", citizen=citizen, actor=citizen)
    ticket(place, channel="portal", contact_phone="514 555-0123")

    with pytest.raises(TicketLimitReached):
        ticket(place, channel="portal", citizen=citizen, actor=citizen)
    with pytest.raises(TicketLimitReached):
        ticket(place, channel="kiosk", contact_phone="(514) 555-0123")
    # Staff at a counter may always give one, and a kiosk ticket without a contact counts none.
    assert ticket(place, channel="counter", citizen=citizen, actor=UserFactory(is_staff=True))
    assert ticket(place, channel="kiosk")


def test_bad_contacts_are_refused_with_a_field_error():
    place = bookable_place()

    with pytest.raises(InvalidInput) as refused:
        ticket(place, channel="portal", contact_email="not-an-email", contact_phone="call me")

    assert set(refused.value.fields) == {"contact_email", "contact_phone"}


def test_the_same_form_submitted_twice_gives_one_ticket():
    place = bookable_place()
    key = uuid.uuid4()

    first = ticket(place, submission_key=key)
    again = ticket(place, submission_key=key)

    assert again == first
    assert Visit.objects.count() == 1
