"""Every hostile input to the GeoReport v2 endpoints is answered in the spec's error format.

Each input below once reached an unhandled error (an HTML 500, or Django's HTML 400): these
are the exact ones, in both formats.
"""

from __future__ import annotations

import pytest

from cityhall.open311.tests.contract import parse_xml
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.photo_files import jpeg_with_gps_bytes, upload


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
