"""handler400 answers a request Django could not read in the format its address promises."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.test import RequestFactory

from cityhall.core.unreadable import bad_request
from cityhall.open311.tests.contract import parse_xml


@pytest.mark.parametrize(
    ("exception", "code"),
    [
        (TooManyFilesSent(), "too_many_files"),
        (TooManyFieldsSent(), "too_many_fields"),
        (RequestDataTooBig(), "too_large"),
        (SuspiciousOperation(), "bad_request"),
    ],
)
def test_the_platform_api_gets_its_error_contract(exception, code):
    response = bad_request(RequestFactory().post("/api/v1/requests"), exception)

    assert response.status_code == 400
    assert json.loads(response.content)["error"]["code"] == code


def test_open311_json_gets_the_spec_error_list():
    response = bad_request(RequestFactory().post("/open311/v2/requests.json"), TooManyFilesSent())

    assert response.status_code == 400
    assert json.loads(response.content) == [{"code": 400, "description": "Send at most 10 files."}]


def test_open311_xml_and_unknown_formats_get_the_spec_error_document():
    for path in ("/open311/v2/requests.xml", "/open311/v2/requests.html"):
        response = bad_request(RequestFactory().post(path), RequestDataTooBig())

        assert response.status_code == 400
        assert parse_xml(response.content).findtext("error/code") == "400"


def test_the_site_keeps_djangos_page():
    response = bad_request(RequestFactory().post("/fr/"), SuspiciousOperation())

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
