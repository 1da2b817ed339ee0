import datetime as dt

from cityhall.appointments.models import Booking
from cityhall.appointments.reminders import send_due_reminders
from cityhall.appointments.services import book_appointment
from cityhall.appointments.tests.factories import bookable_place, local
from cityhall.notifications.models import Notification

NOW = local("2031-03-03 08:00")


def booked(citizen, when="2031-03-05 09:00"):
    place = bookable_place()
    return book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=local(when),
        citizen=citizen,
        now=NOW,
    )


def test_the_day_before_reminder_is_sent_once_through_notifications(db, citizen):
    booking = booked(citizen)
    day_before = local("2031-03-04 09:05")

    first = send_due_reminders(now=day_before)
    second = send_due_reminders(now=day_before + dt.timedelta(minutes=5))

    assert first["reminder_day_before"] == 1
    assert second["reminder_day_before"] == 0
    notification = Notification.objects.get(recipient=citizen, template_code="appointment-reminder")
    assert booking.service.name_en in notification.body


def test_the_two_hour_reminder_follows_the_day_before_one(db, citizen):
    booked(citizen)

    send_due_reminders(now=local("2031-03-04 09:05"))
    sent = send_due_reminders(now=local("2031-03-05 07:05"))

    assert sent == {"reminder_day_before": 0, "reminder_two_hours": 1}


def test_a_booking_made_inside_a_reminders_window_gets_no_such_reminder(db, citizen):
    place = bookable_place()
    book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=local("2031-03-03 09:30"),
        citizen=citizen,
        now=NOW,
    )

    assert send_due_reminders(now=local("2031-03-03 08:05")) == {
        "reminder_day_before": 0,
        "reminder_two_hours": 0,
    }


def test_a_failed_reminder_never_cancels_the_booking(db, citizen, monkeypatch):
    booking = booked(citizen)

    def broken(*args, **kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr("cityhall.appointments.reminders.send_booking_notice", broken)
    sent = send_due_reminders(now=local("2031-03-04 09:05"))

    booking.refresh_from_db()
    assert sent["reminder_day_before"] == 1
    assert booking.status == Booking.Status.CONFIRMED
