from cityhall.appointments.calendar import booking_calendar
from cityhall.appointments.services import book_appointment
from cityhall.appointments.tests.factories import bookable_place, local

NOW = local("2031-03-03 08:00")


def test_the_calendar_file_states_local_times_with_the_citys_time_zone(db, citizen, settings):
    place = bookable_place(duration_minutes=30, name_en="Marriage, licence; civil")
    booking = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=local("2031-03-10 09:00"),
        citizen=citizen,
        now=NOW,
    )

    text = booking_calendar([booking])

    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert text.endswith("END:VCALENDAR\r\n")
    assert f"TZID:{settings.TIME_ZONE}" in lines
    assert f"DTSTART;TZID={settings.TIME_ZONE}:20310310T090000" in lines
    assert f"DTEND;TZID={settings.TIME_ZONE}:20310310T093000" in lines
    assert "SUMMARY:Marriage\\, licence\\; civil" in lines
    assert "BEGIN:DAYLIGHT" in lines
    assert "TZOFFSETTO:-0400" in lines
    assert all(len(line.encode()) <= 75 for line in lines)


def test_the_feed_of_a_person_lists_their_appointments(db, citizen, client):
    from django.urls import reverse

    from cityhall.appointments.selectors import calendar_feed_token_for

    place = bookable_place()
    book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=local("2031-03-10 09:00"),
        citizen=citizen,
        now=NOW,
    )

    response = client.get(
        reverse("portal:appointment_feed", args=[calendar_feed_token_for(citizen)])
    )
    unknown = client.get(reverse("portal:appointment_feed", args=["not-a-feed"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content.count(b"BEGIN:VEVENT") == 1
    assert unknown.status_code == 404
