"""At the counter: serving, finishing, no-shows and recalls, each in its turn."""

import datetime as dt

import pytest

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import Visit
from cityhall.appointments.services_queue import (
    call_next,
    finish_visit,
    mark_no_show,
    recall_visit,
    start_serving,
    take_ticket,
)
from cityhall.appointments.services_queue.errors import NotOnDuty, VisitNotChangeable
from cityhall.appointments.tests.factories import bookable_place, local, staff_on_duty
from cityhall.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")
LATER = NOW + dt.timedelta(minutes=7)


@pytest.fixture
def called():
    place = bookable_place()
    staff = staff_on_duty(place.counters[0], at=NOW)
    take_ticket(
        facility=place.facility, service=place.service, channel="kiosk", actor=None, now=NOW
    )
    visit = call_next(counter=place.counters[0], actor=staff, now=NOW)
    return visit, staff


def test_a_called_visit_is_served_then_finished(called):
    visit, staff = called

    start_serving(visit=visit, actor=staff, now=NOW + dt.timedelta(minutes=1))
    finished = finish_visit(visit=visit, actor=staff, now=LATER)

    assert finished.status == Visit.Status.SERVED
    assert finished.serving_started_at == NOW + dt.timedelta(minutes=1)
    assert finished.finished_at == LATER
    assert list(
        AuditEvent.objects.filter(action__startswith="queue.").values_list("action", flat=True)
    ) == ["queue.served", "queue.serving", "queue.called", "queue.ticket_taken"]


def test_a_visit_not_yet_serving_cannot_be_finished(called):
    visit, staff = called

    with pytest.raises(VisitNotChangeable):
        finish_visit(visit=visit, actor=staff, now=LATER)


def test_a_called_person_who_does_not_come_is_a_no_show(called):
    visit, staff = called

    gone = mark_no_show(visit=visit, actor=staff, now=LATER)

    assert (gone.status, gone.finished_at) == (Visit.Status.NO_SHOW, LATER)


def test_a_visit_being_served_is_not_a_no_show(called):
    visit, staff = called
    start_serving(visit=visit, actor=staff, now=LATER)

    with pytest.raises(VisitNotChangeable):
        mark_no_show(visit=visit, actor=staff, now=LATER)


def test_a_recall_calls_the_same_visit_again(called):
    visit, staff = called

    again = recall_visit(visit=visit, actor=staff)

    assert (again.status, again.times_called, again.called_at) == (Visit.Status.CALLED, 2, NOW)


def test_only_the_staff_on_duty_at_its_counter_serves_a_visit(called):
    visit, _staff = called

    with pytest.raises(NotOnDuty):
        start_serving(visit=visit, actor=UserFactory(is_staff=True), now=LATER)
