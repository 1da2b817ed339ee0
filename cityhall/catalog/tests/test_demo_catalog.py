"""The demo city's catalog (cityhall/demo/catalog_data.json) loads and is complete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cityhall.catalog.models import Service, ServiceField, Topic
from cityhall.catalog.selectors import search_services
from cityhall.catalog.services import import_catalog
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.demo.generator.administration import DEPARTMENTS

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "demo" / "catalog_data.json"


@pytest.fixture
def demo_catalog(db):
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    codes = {service["department"] for service in data["services"]}
    codes |= {rule["department"] for s in data["services"] for rule in s.get("routing", [])}
    for code in codes:
        DepartmentFactory(code=code)
    with DEMO_CATALOG.open(encoding="utf-8") as source:
        import_catalog(source=source, actor=None)


def test_the_demo_catalog_names_only_departments_the_demo_city_creates():
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    named = {service["department"] for service in data["services"]}
    named |= {rule["department"] for s in data["services"] for rule in s.get("routing", [])}

    assert named <= {department.code for department in DEPARTMENTS}


def test_the_demo_catalog_has_more_than_forty_services(demo_catalog):
    assert Service.objects.filter(is_active=True).count() >= 40
    assert Topic.objects.count() >= 12


def test_every_demo_service_has_a_name_and_description_in_both_languages(demo_catalog):
    for service in Service.objects.all():
        for text in (service.name_en, service.name_fr, service.description_en,
                     service.description_fr):  # fmt: skip
            assert text.strip(), service.code
        assert service.keywords_en, service.code
        assert service.keywords_fr, service.code
        assert service.topic is not None, service.code


def test_every_demo_field_is_labelled_in_both_languages_with_choices_only_for_lists(demo_catalog):
    for field in ServiceField.objects.prefetch_related("choices"):
        assert field.label_en, str(field)
        assert field.label_fr, str(field)
        choices = list(field.choices.all())
        assert bool(choices) == field.is_list, str(field)
        assert all(choice.name_en and choice.name_fr for choice in choices), str(field)


def test_loading_the_demo_catalog_twice_changes_nothing(demo_catalog):
    counts = (Service.objects.count(), ServiceField.objects.count(), Topic.objects.count())

    with DEMO_CATALOG.open(encoding="utf-8") as source:
        import_catalog(source=source, actor=None)

    assert (Service.objects.count(), ServiceField.objects.count(), Topic.objects.count()) == counts


SEARCHES = [
    ("nid de poule", "fr", "pothole"),
    ("nids-de-poule", "fr", "pothole"),
    ("pothole", "en", "pothole"),
    ("pot hole", "en", "pothole"),
    ("ptohole", "en", "pothole"),
    ("potholes", "fr", "pothole"),
    ("déneigement", "fr", "snow-removal"),
    ("deneigement", "fr", "snow-removal"),
    ("snow removal", "en", "snow-removal"),
    ("Déneigement", "en", "snow-removal"),
    ("collecte manquée", "fr", "missed-collection"),
    ("garbage not picked up", "en", "missed-collection"),
    ("lampadaire", "fr", "streetlight"),
    ("street light", "en", "streetlight"),
    ("refoulement d'égout", "fr", "sewer-backup"),
    ("raccoon", "en", "wildlife"),
    ("bruit", "fr", "noise"),
    ("loud music", "en", "noise"),
    ("permis de piscine", "fr", "pool-fence-permit"),
    ("matelas", "fr", "bulky-items"),
    ("graffitti", "en", "graffiti"),
    ("fuite d eau", "fr", "water-leak"),
    ("chien", "fr", "stray-dog"),
    ("taxes", "fr", "property-tax"),
]


def test_the_search_box_finds_demo_services_in_both_languages(demo_catalog):
    # One catalog load for every query: importing it is the slow part.
    misses = {}
    for query, language, expected in SEARCHES:
        results = [service.code for service in search_services(query, language=language, limit=3)]
        if not results or results[0] != expected:
            misses[query] = results

    assert misses == {}
