"""The request form names each of its parts once, says what is required, and its error summary
names each wrong field and links to it."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from cityhall.catalog.models import Service
from cityhall.catalog.services import import_catalog
from cityhall.catalog.tests.factories import DepartmentFactory, ServiceFactory, ServiceFieldFactory
from cityhall.servicerequests.models import ServiceRequest

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "demo" / "catalog_data.json"
LEGEND = re.compile(r"<legend>(.*?)</legend>", re.DOTALL)
SUMMARY = re.compile(r'<div class="error-summary".*?</div>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    return " ".join(TAG.sub(" ", html).split())


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def demo_catalog(db):
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    for code in {service["department"] for service in data["services"]}:
        DepartmentFactory(code=code)
    with DEMO_CATALOG.open(encoding="utf-8") as source:
        import_catalog(source=source, actor=None)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_demo_service_form_has_two_sections_of_the_same_name(signed_in, demo_catalog, language):
    codes = Service.objects.filter(is_active=True, accepts_requests=True).values_list(
        "code", flat=True
    )

    repeated = {}
    for code in codes:
        page = signed_in.get(f"/{language}/services/{code}/request/").content.decode()
        legends = Counter(_text(legend) for legend in LEGEND.findall(page))
        twice = [name for name, count in legends.items() if count > 1]
        if twice:
            repeated[code] = twice

    assert repeated == {}


def test_a_service_requiring_a_photo_says_so_at_the_photos(signed_in, db):
    ServiceFactory(code="graffiti", requires_photo=True)

    page = signed_in.get("/en/services/graffiti/request/").content.decode()

    label = page.split('<label for="id_photos">')[1].split("</label>")[0]
    assert _text(label) == "Photos (required)"


def test_a_missing_photo_is_named_with_the_other_mistakes_in_one_round(signed_in, db):
    ServiceFactory(code="graffiti", requires_photo=True)
    page = signed_in.get("/en/services/graffiti/request/").content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]

    response = signed_in.post(
        "/en/services/graffiti/request/", {"idempotency_key": key, "description": ""}
    )

    html = response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert 'id="id_photos_error"' in html
    assert "Add at least one photo of the problem." in html
    assert 'id="id_description_error"' in html


def test_each_entry_of_the_error_summary_names_its_field_and_links_to_it(signed_in, db):
    service = ServiceFactory(code="pothole", requires_location=True)
    ServiceFieldFactory(service=service, code="depth", is_required=True, label_en="Depth")
    page = signed_in.get("/en/services/pothole/request/").content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]

    response = signed_in.post(
        "/en/services/pothole/request/", {"idempotency_key": key, "description": ""}
    )

    found = SUMMARY.search(response.content.decode())
    assert found is not None
    summary = found.group(0)
    entries = re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.DOTALL)
    assert [(target, _text(text)) for target, text in entries] == [
        ("id_answer_depth", "Depth: This field is required."),
        ("id_description", "Describe the problem: This field is required."),
        ("id_address", "Address: Choose where the problem is."),
    ]
