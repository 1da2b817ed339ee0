"""Every hostile input to the GeoReport v2 endpoints is answered in the spec's error format.

The explicit inputs once reached an unhandled error (an HTML 500, or Django's HTML 400), and
are checked in both formats. GeoReport v2 is not in the OpenAPI schema that schemathesis
walks, so hypothesis sends generated query strings to each GET endpoint here instead.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityhall.open311.tests.contract import parse_xml
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory
from cityhall.servicerequests.tests.photo_files import jpeg_with_gps_bytes, upload

#: Every GET endpoint, with real ids where it takes one ({tracking} is filled by the test).
GET_PATHS = [
    "discovery",
    "services",
    "services/pothole",
    "requests",
    "requests/{tracking}",
    "tokens/no-such-token",
]
PARAMETERS = [
    "page",
    "page_size",
    "start_date",
    "end_date",
    "updated_after",
    "updated_before",
    "status",
    "service_code",
    "service_request_id",
    "extensions",
    "lang",
    "jurisdiction_id",
]


def _hostile_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=30),
        st.text(st.characters(categories=["Nd", "No"]), max_size=10),
        st.text("0123456789", min_size=1, max_size=6000),
        st.datetimes().map(datetime.isoformat),
        st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
    )


def assert_open311_error(response, fmt: str, status: int = 400) -> None:
    assert response.status_code == status, response.content[:300]
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        errors = response.json()
        assert [error["code"] for error in errors] == [status] * len(errors)
        assert all(error["description"] for error in errors)
    else:
        assert response["Content-Type"].startswith(("text/xml", "application/xml"))
        root = parse_xml(response.content)
        assert root.tag == "errors"
        assert root.findtext("error/code") == str(status)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "query",
    [
        "page=%C2%B2",
        "page_size=%D9%A3",
        "page=" + "1" * 5000,
        "end_date=0001-01-01T00:00:00",
        "start_date=9999-12-31T23:59:59",
        "updated_after=9999-12-31T23:59:59",
        "updated_before=0001-01-01T00:00:00",
        "start_date=0001-01-01T00:00:00%2B14:00",
        "end_date=9999-12-31T23:59:59-12:00",
    ],
)
def test_a_hostile_list_parameter_is_an_open311_error(client, fmt, query):
    response = client.get(f"/open311/v2/requests.{fmt}?{query}")

    assert_open311_error(response, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_more_media_files_than_a_request_may_carry_is_an_open311_error(
    client, pothole, open311_key, settings, tmp_path, fmt
):
    settings.MEDIA_ROOT = tmp_path
    photo = jpeg_with_gps_bytes()
    data = {
        "api_key": open311_key,
        "service_code": "pothole",
        "lat": "45.51",
        "long": "-73.59",
        "description": "A deep pothole in front of the school.",
        "attribute[size]": "large",
        "media": [upload(f"street{index}.jpg", photo) for index in range(11)],
    }

    response = client.post(f"/open311/v2/requests.{fmt}", data)

    assert_open311_error(response, fmt)
    assert not ServiceRequest.objects.exists()


@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(GET_PATHS),
    fmt=st.sampled_from(["json", "xml"]),
    params=st.dictionaries(st.sampled_from(PARAMETERS), _hostile_values(), max_size=4),
)
def test_any_query_to_any_get_endpoint_is_answered_in_the_spec_format(
    client, pothole, known_tracking_number, path, fmt, params
):
    url = f"/open311/v2/{path.format(tracking=known_tracking_number)}.{fmt}"

    response = client.get(url, params)

    assert response.status_code < 500, (path, params)
    if response.status_code >= 400:
        assert_open311_error(response, fmt, response.status_code)


@pytest.fixture
def known_tracking_number(settings, pothole) -> str:
    """No rate limit (every call comes from one address); the tracking number of one request."""
    settings.RATE_LIMITS = {}
    return str(ServiceRequestFactory(service=pothole).tracking_number)
