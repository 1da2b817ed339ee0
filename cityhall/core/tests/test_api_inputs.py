"""The API's input parsers answer any text with a value or a field error, never an exception.

Property-based: hypothesis drives each parser with arbitrary text, digits of any script and
length, date-times across the whole calendar and JSON of any depth.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cityhall.core.api_inputs import (
    EARLIEST,
    LATEST,
    MAX_JSON_DEPTH,
    DepthLimitedJSONParser,
    datetime_problem,
    json_depth,
    validated,
    whole_number,
)
from cityhall.core.api_pagination import PageNumberPagination
from cityhall.core.errors import InvalidInput

BOUNDED = settings(max_examples=200, derandomize=True, database=None, deadline=None)


class Window(serializers.Serializer[Any]):
    after = serializers.DateTimeField(required=False)
    before = serializers.DateTimeField(required=False)
    day = serializers.DateField(required=False)
    count = serializers.IntegerField(required=False, min_value=1, max_value=100)


class Required(serializers.Serializer[Any]):
    at = serializers.DateTimeField()


class Outer(serializers.Serializer[Any]):
    window = Window()


def assert_refused_only(error: InvalidInput, names: set[str]) -> None:
    assert set(error.fields) <= names


def _text_or_digits() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=40),
        st.text(st.characters(categories=["Nd", "No"]), max_size=30),
        st.text("0123456789", min_size=1, max_size=6000),
    )


@BOUNDED
@given(raw=_text_or_digits(), minimum=st.integers(-5, 5), maximum=st.integers(0, 10**9))
def test_whole_number_reads_only_ascii_digits_within_its_bounds(raw, minimum, maximum):
    number = whole_number(raw, minimum=minimum, maximum=maximum)

    if number is not None:
        assert raw.isascii()
        assert raw.isdigit()
        assert number == int(raw)
        assert minimum <= number <= maximum


@pytest.mark.parametrize("raw", ["²", "٣", "1" * 5000, "-1", "+1", " 1", "1.0", ""])
def test_whole_number_refuses_what_is_not_plain_ascii_digits(raw):
    assert whole_number(raw, minimum=-(10**9), maximum=10**9) is None


@BOUNDED
@given(value=st.datetimes(timezones=st.one_of(st.none(), st.timezones())))
def test_every_datetime_is_either_inside_the_range_or_refused(value):
    problem = datetime_problem(value)

    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    assert (problem is None) == (EARLIEST <= moment < LATEST)
    if problem is None:  # the time-zone arithmetic the filters do cannot overflow
        moment.astimezone(UTC) - timedelta(days=90)
        moment.astimezone(UTC) + timedelta(days=2)


def _calendar_text() -> st.SearchStrategy[str]:
    """ISO 8601 text over the whole calendar, with and without offsets, and junk."""
    return st.one_of(
        st.datetimes().map(datetime.isoformat),
        st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
        st.dates().map(lambda day: day.isoformat()),
        st.sampled_from(
            ["9999-12-31T23:59:59", "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"]
        ),
        st.text(max_size=30),
    )


@BOUNDED
@given(
    after=_calendar_text(), before=_calendar_text(), day=_calendar_text(), count=_text_or_digits()
)
def test_validated_answers_any_query_string_with_values_or_field_errors(after, before, day, count):
    try:
        data = validated(Window, {"after": after, "before": before, "day": day, "count": count})
    except InvalidInput as error:
        data, refused = {}, set(error.fields)
    else:
        refused = set()

    assert refused <= {"after", "before", "day", "count"}
    for value in (data.get("after"), data.get("before")):
        assert value is None or datetime_problem(value) is None


@pytest.mark.parametrize(
    "raw", ["9999-12-31T23:59:59", "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"]
)
def test_a_required_date_at_the_calendar_end_is_refused_for_its_range(raw):
    with pytest.raises(InvalidInput) as refused:
        validated(Required, {"at": raw})

    assert refused.value.fields["at"] == [datetime_problem(LATEST)]


def test_a_nested_date_out_of_range_is_named_by_its_dotted_path():
    with pytest.raises(InvalidInput) as refused:
        validated(Outer, {"window": {"after": "9999-12-31T23:59:59"}})

    assert list(refused.value.fields) == ["window.after"]


def _json_values() -> st.SearchStrategy[Any]:
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=3), children, max_size=3)
        ),
        max_leaves=60,
    )


def _parse(body: str) -> Any:
    return DepthLimitedJSONParser().parse(io.BytesIO(body.encode()), "application/json", {})


@BOUNDED
@given(value=_json_values(), extra_depth=st.integers(0, 3000))
def test_the_json_parser_returns_shallow_bodies_and_refuses_deep_ones(value, extra_depth):
    body = "[" * extra_depth + json.dumps(value) + "]" * extra_depth

    try:
        parsed = _parse(body)
    except ParseError:
        assert json_depth(value) + extra_depth > MAX_JSON_DEPTH
        return
    assert json_depth(parsed) <= MAX_JSON_DEPTH
    assert parsed == json.loads(body)


@settings(BOUNDED, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.text(max_size=200))
def test_the_json_parser_answers_any_text_with_data_or_a_parse_error(body):
    with contextlib.suppress(ParseError):
        _parse(body)


def test_json_nested_five_thousand_deep_is_a_parse_error():
    with pytest.raises(ParseError):
        _parse("[" * 5000 + "]" * 5000)


@BOUNDED
@given(page=_text_or_digits(), page_size=_text_or_digits())
def test_the_paginator_answers_any_page_parameters_with_a_page_or_field_errors(page, page_size):
    request = Request(APIRequestFactory().get("/", {"page": page, "page_size": page_size}))

    try:
        results = PageNumberPagination().paginate_queryset(list(range(500)), request)
    except InvalidInput as error:
        assert_refused_only(error, {"page", "page_size"})
        return

    assert results is not None
    assert len(results) == min(int(page_size), 500 - (int(page) - 1) * int(page_size))
