"""Date-times read from the database as UTC text, written in the city's zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cityhall.open311.local_time import parse_utc, w3c

# Around both 2026 changes of America/Toronto (08 March and 01 November, 06:00 and 07:00 UTC)
# and ordinary moments, with and without fractions of a second.
MOMENTS = [
    datetime(2026, 3, 8, 6, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 3, 8, 7, 0, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 5, 59, 59, tzinfo=UTC),
    datetime(2026, 11, 1, 6, 0, 0, 500000, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 30, 0, tzinfo=UTC),
    datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC),
] + [datetime(2025, 1, 1, 3, 17, 42, tzinfo=UTC) + timedelta(hours=37 * n) for n in range(300)]


def postgresql_text(moment):
    return str(moment).replace("+00:00", "+00")


def sqlite_text(moment):
    return moment.replace(tzinfo=None).isoformat(" ")


@pytest.mark.parametrize("zone", ["America/Toronto", "America/St_Johns", "Asia/Kolkata", "UTC"])
@pytest.mark.parametrize("as_text", [postgresql_text, sqlite_text])
def test_w3c_matches_isoformat_in_the_citys_zone(settings, zone, as_text):
    settings.TIME_ZONE = zone

    for moment in MOMENTS:
        expected = moment.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")
        assert w3c(as_text(moment)) == expected


def test_w3c_follows_a_change_of_time_zone(settings):
    moment = postgresql_text(datetime(2026, 7, 1, 12, 0, 0, tzinfo=UTC))

    settings.TIME_ZONE = "America/Toronto"
    toronto = w3c(moment)
    settings.TIME_ZONE = "Europe/Paris"
    paris = w3c(moment)

    assert (toronto, paris) == ("2026-07-01T08:00:00-04:00", "2026-07-01T14:00:00+02:00")


def test_parse_utc_reads_both_databases_texts():
    moment = datetime(2026, 3, 8, 7, 30, 0, 500000, tzinfo=UTC)

    assert parse_utc(postgresql_text(moment)) == moment
    assert parse_utc(sqlite_text(moment)) == moment
