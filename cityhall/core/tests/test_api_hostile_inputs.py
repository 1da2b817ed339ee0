"""Every hostile input to the platform API is answered in its error contract, never a 500.

Each input below once reached an unhandled error (an HTML 500): these are the exact ones.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cityhall.accounts.tests.api_callers import session_client


@pytest.fixture
def agent_client(agent) -> APIClient:
    return session_client(agent, two_factor_passed=True)


@pytest.fixture
def citizen_client(citizen) -> APIClient:
    return session_client(citizen)


def assert_contract_error(response, field: str | None = None) -> None:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    if field is not None:
        assert field in body["error"]["fields"]


@pytest.mark.parametrize("page", ["%C2%B2", "%D9%A3", "1" * 5000])
def test_a_page_number_of_non_ascii_digits_or_thousands_of_digits_is_a_400(agent_client, page):
    response = agent_client.get(f"/api/v1/staff/requests?page={page}")

    assert_contract_error(response, "page")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("created_after", "9999-12-31T23:59:59"),
        ("created_after", "0001-01-01T00:00:00"),
        ("created_before", "9999-12-31T23:59:59"),
        ("created_before", "0001-01-01T00:00:00"),
        ("created_after", "9999-12-31T23:59:59-12:00"),
    ],
)
def test_a_date_at_the_ends_of_the_calendar_is_a_400(agent_client, name, value):
    response = agent_client.get("/api/v1/staff/requests", {name: value})

    assert_contract_error(response, name)


def test_json_nested_thousands_deep_is_a_400(citizen_client):
    body = "[" * 5000 + "]" * 5000

    response = citizen_client.post("/api/v1/requests", data=body, content_type="application/json")

    assert_contract_error(response)
    assert response.json()["error"]["code"] == "parse_error"


def test_an_integer_of_thousands_of_digits_in_a_body_is_a_400(citizen_client):
    body = '{"service": "pothole", "location": {"latitude": ' + "1" * 5000 + "}}"

    response = citizen_client.post("/api/v1/requests", data=body, content_type="application/json")

    assert_contract_error(response)


def test_more_files_than_django_reads_is_a_400_in_the_contract(citizen_client):
    files = {f"photo{index}": SimpleUploadedFile(f"p{index}.jpg", b"x") for index in range(11)}

    response = citizen_client.post("/api/v1/requests", data=files, format="multipart")

    assert_contract_error(response)
    assert response.json()["error"]["code"] == "too_many_files"


def test_a_body_over_the_memory_limit_is_a_400_in_the_contract(citizen_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"description": "' + "x" * 2000 + '"}'

    response = citizen_client.post("/api/v1/requests", data=body, content_type="application/json")

    assert_contract_error(response)
    assert response.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_change_to_an_address_no_route_matches_is_a_404_in_the_contract(citizen, method):
    browser = APIClient(enforce_csrf_checks=True)  # as a signed-in browser, without a token
    browser.force_login(citizen)

    response = getattr(browser, method)("/api/v1/me/tokens/%C3%B0%C3%9B")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
