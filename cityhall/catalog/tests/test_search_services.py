"""search_services: one search box for both languages, accents, plurals and typos."""

from __future__ import annotations

import time

import pytest

from cityhall.catalog.selectors import search_services
from cityhall.catalog.services import update_service
from cityhall.catalog.tests.factories import ServiceFactory, minimal_details


@pytest.fixture
def catalog(db):
    return {
        "pothole": ServiceFactory(
            code="pothole", name_en="Pothole", name_fr="Nid-de-poule",
            description_en="A hole in the pavement of a street.",
            description_fr="Un trou dans la chaussée d'une rue.",
            keywords_en=["asphalt", "road"], keywords_fr=["asphalte", "chaussée"],
            synonyms_en=["hole in the road"], synonyms_fr=["trou dans la rue"],
        ),
        "snow": ServiceFactory(
            code="snow-removal", name_en="Snow removal on my street",
            name_fr="Déneigement de ma rue",
            description_en="A street that was not plowed.",
            description_fr="Une rue qui n'a pas été déneigée.",
            keywords_en=["plow"], keywords_fr=["chasse-neige"],
        ),
        "sidewalk": ServiceFactory(
            code="damaged-sidewalk", name_en="Damaged sidewalk", name_fr="Trottoir endommagé",
            description_en="Report a broken slab near a pothole or a street corner.",
            description_fr="Signalez une dalle brisée.",
            keywords_en=["concrete"], keywords_fr=["béton"],
        ),
    }  # fmt: skip


def _codes(query, language="en", limit=10):
    return [service.code for service in search_services(query, language=language, limit=limit)]


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("nid de poule", "fr"), ("nids-de-poule", "fr"), ("NID DE POULES", "en"),
        ("pothole", "en"), ("pot hole", "en"), ("potholes", "fr"), ("ptohole", "en"),
        ("poth", "en"), ("trou dans la rue", "fr"), ("asphalte", "fr"),
    ],
)  # fmt: skip
def test_the_pothole_service_is_found_however_it_is_written(catalog, query, language):
    assert _codes(query, language)[0] == "pothole"


@pytest.mark.parametrize(
    ("query", "language"),
    [("déneigement", "fr"), ("deneigement", "en"), ("snow removal", "en"), ("deneigment", "fr")],
)
def test_the_snow_removal_service_is_found_in_both_languages(catalog, query, language):
    assert _codes(query, language)[0] == "snow-removal"


def test_a_name_match_ranks_above_a_keyword_or_description_match(catalog):
    assert _codes("pothole") == ["pothole", "damaged-sidewalk"]


def test_a_keyword_match_ranks_above_a_description_match(db):
    ServiceFactory(code="in-text", name_en="Tree", description_en="Planting near the curb.")
    ServiceFactory(code="in-keywords", name_en="Sidewalk", keywords_en=["curb"])

    assert _codes("curb") == ["in-keywords", "in-text"]


def test_nothing_is_found_for_an_empty_or_unrelated_query(catalog):
    assert _codes("") == []
    assert _codes("  -- ") == []
    assert _codes("xylophone") == []


def test_results_are_limited(catalog):
    assert len(_codes("street", limit=1)) == 1


def test_inactive_services_are_not_found(catalog):
    ServiceFactory(code="old-pothole", name_en="Pothole (old form)", is_active=False)

    assert "old-pothole" not in _codes("pothole")


def test_a_changed_service_is_searchable_at_once(catalog, admin):
    assert _codes("crater") == []
    service = catalog["pothole"]

    update_service(service=service, department=service.department,
                   details=minimal_details(keywords_en=("crater",)), actor=admin)  # fmt: skip

    assert _codes("crater") == ["pothole"]


def test_a_new_service_is_searchable_at_once(catalog):
    assert _codes("graffiti") == []

    ServiceFactory(code="graffiti", name_en="Graffiti", name_fr="Graffitis")

    assert _codes("graffiti") == ["graffiti"]


def test_a_search_costs_two_queries_once_the_index_is_built(catalog, django_assert_num_queries):
    _codes("pothole")

    with django_assert_num_queries(2):
        _codes("nid de poule", "fr")


def test_a_very_long_query_is_answered_quickly(catalog):
    _codes("warm up")
    started = time.perf_counter()

    codes = _codes("pothole " + "lorem ipsum dolor sit amet " * 2000)

    assert codes[0] == "pothole"
    assert time.perf_counter() - started < 0.5
