"""handler400 and handler500 answer in the format the request's address promises."""

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
from cityhall.core.views import server_error
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


def test_a_server_error_on_an_api_is_answered_in_that_apis_format():
    api = server_error(RequestFactory().get("/api/v1/requests"))
    open311 = server_error(RequestFactory().get("/open311/v2/requests.json"))
    site = server_error(RequestFactory().get("/en/"))

    assert (api.status_code, json.loads(api.content)["error"]["code"]) == (500, "server_error")
    assert json.loads(open311.content)[0]["code"] == 500
    assert site.status_code == 500
    assert site["Content-Type"].startswith("text/html")
