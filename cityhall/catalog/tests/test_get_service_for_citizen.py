"""get_service_for_citizen: a listed service by its Open311 code."""

from __future__ import annotations

import pytest

from cityhall.catalog.selectors import get_service_for_citizen
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import NotFound


def test_a_listed_service_is_found_by_code(db):
    service = ServiceFactory(code="pothole")

    assert get_service_for_citizen("pothole") == service


@pytest.mark.parametrize("code", ["unknown", "retired"])
def test_an_unknown_or_unlisted_service_is_not_found(db, code):
    ServiceFactory(code="retired", is_active=False)

    with pytest.raises(NotFound):
        get_service_for_citizen(code)
