import datetime as dt

from cityhall.appointments.holidays import is_public_holiday, public_holidays_between
from cityhall.appointments.models import Closure, PublicHoliday
from cityhall.appointments.services import book_appointment
from cityhall.appointments.slots import slots_between
from cityhall.appointments.tests.factories import bookable_place, local

NOW = local("2031-03-03 08:00")  # a Monday


def day_slots(place, day, now=NOW):
    day = dt.date.fromisoformat(day)
    return slots_between(
        service=place.service, facility=place.facility, first=day, last=day, now=now
    ).get(day, [])


def test_slots_follow_opening_hours_in_steps_of_the_service_duration(db):
    place = bookable_place(opens="09:00", closes="10:00", duration_minutes=20)

    slots = day_slots(place, "2031-03-04")

    assert [slot.starts_at for slot in slots] == [
        local(f"2031-03-04 {t}") for t in ("09:00", "09:20", "09:40")
    ]
    assert slots[0].ends_at == local("2031-03-04 09:20")


def test_a_public_holiday_has_no_slots_and_is_known_as_one(db):
    place = bookable_place()
    PublicHoliday.objects.create(
        day=dt.date(2031, 3, 5), name_en="City day", name_fr="Fête de la ville"
    )

    assert day_slots(place, "2031-03-05") == []
    assert is_public_holiday(dt.date(2031, 3, 5))
    assert not is_public_holiday(dt.date(2031, 3, 6))
    assert public_holidays_between(dt.date(2031, 3, 1), dt.date(2031, 3, 31)) == {
        dt.date(2031, 3, 5)
    }


def test_a_closure_of_the_facility_has_no_slots_on_its_days(db):
    place = bookable_place()
    Closure.objects.create(
        facility=place.facility, starts_on=dt.date(2031, 3, 5), ends_on=dt.date(2031, 3, 6),
        reason_en="Renovation", reason_fr="Rénovation",
    )  # fmt: skip

    assert day_slots(place, "2031-03-05") == day_slots(place, "2031-03-06") == []
    assert day_slots(place, "2031-03-07")


def test_a_booked_slot_stays_free_only_on_the_other_counters(db, citizen, other_citizen):
    place = bookable_place(counters=2)
    starts_at = local("2031-03-04 09:00")
    book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=starts_at,
        citizen=citizen,
        now=NOW,
    )

    first = day_slots(place, "2031-03-04")[0]
    assert first.counter_ids == (place.counters[1].id,)

    book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=starts_at,
        citizen=other_citizen,
        now=NOW,
    )
    assert day_slots(place, "2031-03-04")[0].starts_at == local("2031-03-04 09:15")


def test_slots_sooner_than_the_minimum_notice_or_beyond_the_horizon_are_left_out(db):
    place = bookable_place(minimum_notice_minutes=120, booking_horizon_days=2)
    now = local("2031-03-04 08:30")

    assert day_slots(place, "2031-03-04", now=now)[0].starts_at == local("2031-03-04 10:30")
    assert day_slots(place, "2031-03-06", now=now)
    assert day_slots(place, "2031-03-07", now=now) == []


def test_slots_keep_their_wall_clock_times_across_the_change_to_summer_time(db):
    place = bookable_place()
    before, after = day_slots(place, "2031-03-08")[0], day_slots(place, "2031-03-10")[0]

    assert (before.starts_at.hour, after.starts_at.hour) == (9, 9)
    assert before.starts_at.utcoffset() != after.starts_at.utcoffset()


def test_a_lapsed_unconfirmed_hold_no_longer_takes_its_slot(db):
    place = bookable_place()
    book_appointment(
        service=place.service, facility=place.facility, starts_at=local("2031-03-04 09:00"),
        contact_email="guest@example.org", now=NOW,
    )  # fmt: skip

    assert day_slots(place, "2031-03-04")[0].starts_at == local("2031-03-04 09:15")
    later = NOW + dt.timedelta(hours=1)
    assert day_slots(place, "2031-03-04", now=later)[0].starts_at == local("2031-03-04 09:00")


def test_a_month_of_slots_costs_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    place = bookable_place(booking_horizon_days=60)

    with django_assert_max_num_queries(5):
        found = slots_between(
            service=place.service,
            facility=place.facility,
            first=dt.date(2031, 3, 4),
            last=dt.date(2031, 4, 3),
            now=NOW,
        )
    assert len(found) == 31
