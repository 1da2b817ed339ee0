"""GeoReport v2 parameter readers answer any text with a value or an Open311Error 400.

Property-based: hypothesis drives each reader with arbitrary text, digits of any script and
length, and ISO 8601 date-times across the whole calendar, with and without offsets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.http import QueryDict
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cityhall.core.api_inputs import EARLIEST, LATEST
from cityhall.open311.documents import Open311Error
from cityhall.open311.params import (
    comma_list,
    optional_boolean,
    optional_datetime,
    optional_int,
)

BOUNDED = settings(max_examples=200, derandomize=True, database=None, deadline=None)


def query(name: str, value: str) -> QueryDict:
    params = QueryDict(mutable=True)
    params[name] = value
    return params


def _text_or_digits() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=40),
        st.text(st.characters(categories=["Nd", "No"]), max_size=30),
        st.text("0123456789", min_size=1, max_size=6000),
    )


def _calendar_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.datetimes().map(datetime.isoformat),
        st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
        st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat(" ")),
        st.text(max_size=30),
    )


@BOUNDED
@given(raw=_text_or_digits(), maximum=st.integers(1, 10**6))
def test_optional_int_is_a_bounded_whole_number_or_a_400(raw, maximum):
    try:
        number = optional_int(query("page", raw), "page", default=1, maximum=maximum)
    except Open311Error as error:
        status = error.status
    else:
        status = 200
        assert 1 <= number <= maximum

    assert status in {200, 400}


@BOUNDED
@given(raw=_calendar_text())
def test_optional_datetime_is_an_aware_moment_in_range_or_a_400(raw):
    try:
        moment = optional_datetime(query("start_date", raw), "start_date")
    except Open311Error as error:
        status = error.status
    else:
        status = 200
        if moment is not None:
            assert timezone.is_aware(moment)
            assert (
                EARLIEST - timedelta(days=1) <= moment.astimezone(UTC) <= LATEST + timedelta(days=1)
            )
            # The list's default window and the database's UTC conversion cannot overflow.
            moment.astimezone(UTC) - timedelta(days=90)

    assert status in {200, 400}


@BOUNDED
@given(raw=st.text(max_size=20))
def test_optional_boolean_is_true_false_or_a_400(raw):
    try:
        value = optional_boolean(query("extensions", raw), "extensions")
    except Open311Error as error:
        status = error.status
    else:
        status = 200
        assert value == (raw.strip().lower() == "true")

    assert status in {200, 400}


@BOUNDED
@given(raw=st.text(max_size=60))
def test_comma_list_never_holds_an_empty_or_padded_item(raw):
    items = comma_list(query("service_code", raw), "service_code")

    assert all(item and item == item.strip() for item in items)
