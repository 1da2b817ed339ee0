import datetime as dt

from cityhall.appointments.models import BookedCell, Booking
from cityhall.appointments.retention import delete_past_guest_bookings
from cityhall.appointments.services import book_appointment
from cityhall.appointments.tests.factories import bookable_place, local

NOW = local("2031-03-03 08:00")


def test_past_guest_bookings_go_with_their_email_and_account_holders_stay(db, citizen):
    place = bookable_place(counters=2)
    guest = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=local("2031-03-04 09:00"),
        contact_email="ana@example.org",
        now=NOW,
    )
    kept = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=local("2031-03-04 09:00"),
        citizen=citizen,
        now=NOW,
    )

    assert delete_past_guest_bookings(local("2031-03-04 09:00"), dry_run=False) == 0
    assert delete_past_guest_bookings(local("2031-03-05 00:00"), dry_run=True) == 1
    deleted = delete_past_guest_bookings(local("2031-03-05 00:00"), dry_run=False)

    assert deleted == 1
    assert list(Booking.objects.all()) == [kept]
    assert not BookedCell.objects.filter(booking_id=guest.id).exists()
    assert guest.ends_at < local("2031-03-05 00:00") - dt.timedelta(hours=1)
