"""clean_answers: a citizen's answers checked against a service's extra fields."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cityhall.catalog.answers import clean_answers
from cityhall.catalog.models import ServiceField
from cityhall.catalog.tests.factories import (
    ServiceFactory,
    ServiceFieldChoiceFactory,
    ServiceFieldFactory,
)
from cityhall.core.errors import InvalidInput

Datatype = ServiceField.Datatype


@pytest.fixture
def service(db):
    service = ServiceFactory(code="missed-collection")
    ServiceFieldFactory(service=service, code="note", datatype=Datatype.STRING)
    ServiceFieldFactory(service=service, code="details", datatype=Datatype.TEXT)
    ServiceFieldFactory(service=service, code="count", datatype=Datatype.NUMBER)
    ServiceFieldFactory(service=service, code="started_at", datatype=Datatype.DATETIME)
    size = ServiceFieldFactory(
        service=service, code="size", datatype=Datatype.SINGLE_VALUE_LIST, is_required=True
    )
    for key in ("small", "large"):
        ServiceFieldChoiceFactory(field=size, key=key)
    bins = ServiceFieldFactory(service=service, code="bins", datatype=Datatype.MULTI_VALUE_LIST)
    for key in ("garbage", "recycling", "organics"):
        ServiceFieldChoiceFactory(field=bins, key=key)
    return service


def _errors(service, answers):
    with pytest.raises(InvalidInput) as caught:
        clean_answers(service=service, answers=answers)
    return caught.value.fields


def test_valid_answers_come_back_as_json_ready_values(service):
    cleaned = clean_answers(
        service=service,
        answers={
            "note": "  by the blue door ",
            "details": "Since Monday.",
            "count": "12,5",
            "started_at": "2026-01-31T14:30:00-05:00",
            "size": "large",
            "bins": ["organics", "garbage"],
        },
    )

    assert cleaned == {
        "note": "by the blue door",
        "details": "Since Monday.",
        "count": 12.5,
        "started_at": "2026-01-31T19:30:00+00:00",
        "size": "large",
        "bins": ["garbage", "organics"],
    }


def test_empty_optional_answers_are_left_out(service):
    cleaned = clean_answers(
        service=service, answers={"size": "small", "note": " ", "bins": [], "count": None}
    )

    assert cleaned == {"size": "small"}


def test_whole_numbers_are_integers_and_datetimes_may_be_objects(service):
    moment = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)

    cleaned = clean_answers(
        service=service, answers={"size": "small", "count": 3, "started_at": moment}
    )

    assert cleaned["count"] == 3
    assert isinstance(cleaned["count"], int)
    assert cleaned["started_at"] == "2026-02-01T08:00:00+00:00"


def test_a_single_key_is_accepted_for_a_multiple_choice(service):
    cleaned = clean_answers(service=service, answers={"size": "small", "bins": "recycling"})

    assert cleaned["bins"] == ["recycling"]


def test_a_missing_required_answer_is_reported(service):
    assert _errors(service, {}) == {"size": ["This field is required."]}


def test_an_unknown_field_is_reported(service):
    assert _errors(service, {"size": "small", "colour": "red"}) == {
        "colour": ["This form has no such field."]
    }


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("note", 12),
        ("note", "x" * 501),
        ("details", ["a list"]),
        ("details", "x" * 4001),
        ("count", "twelve"),
        ("count", True),
        ("count", "NaN"),
        ("count", "1e400"),
        ("count", {"value": 1}),
        ("started_at", "yesterday"),
        ("started_at", "2026-02-30T10:00:00-05:00"),
        ("started_at", "2026-01-31T14:30:00"),
        ("started_at", 1700000000),
        ("size", "medium"),
        ("size", ["small"]),
        ("bins", ["garbage", "glass"]),
        ("bins", [1, 2]),
        ("bins", 3),
    ],
)
def test_a_wrong_answer_is_reported_on_its_field(service, code, value):
    answers = {"size": "small", code: value}

    errors = _errors(service, answers)

    assert list(errors) == [code]
    assert all(isinstance(message, str) and message for message in errors[code])


def test_every_wrong_field_is_reported_at_once(service):
    errors = _errors(service, {"count": "many", "bins": ["glass"], "extra": "x"})

    assert set(errors) == {"count", "bins", "extra", "size"}


def test_the_caller_may_pass_the_fields_it_already_holds(service, django_assert_num_queries):
    fields = list(service.fields.prefetch_related("choices"))

    with django_assert_num_queries(0):
        cleaned = clean_answers(service=service, answers={"size": "small"}, fields=fields)

    assert cleaned == {"size": "small"}
