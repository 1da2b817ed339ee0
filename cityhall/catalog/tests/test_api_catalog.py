"""The public catalog API: topics, listed services and their form fields, in both languages."""

from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import (
    ServiceFactory,
    ServiceFieldChoiceFactory,
    ServiceFieldFactory,
    TopicFactory,
)


@pytest.fixture
def catalog(db):
    roads = TopicFactory(slug="roads", name_en="Roads", name_fr="Routes", order=1)
    parks = TopicFactory(slug="parks", name_en="Parks", name_fr="Parcs", order=2)
    pothole = ServiceFactory(code="pothole", name_en="Pothole", name_fr="Nid-de-poule", topic=roads)
    ServiceFactory(code="bench", name_en="Broken bench", name_fr="Banc brisé", topic=parks)
    ServiceFactory(code="retired", topic=roads, is_active=False)
    size = ServiceFieldFactory(
        service=pothole, code="size", order=2, datatype="singlevaluelist", is_required=True
    )
    ServiceFieldChoiceFactory(field=size, key="large", name_en="Large", name_fr="Grand")
    ServiceFieldFactory(service=pothole, code="notes", order=1, datatype="text", is_private=True)
    return pothole


def test_anyone_lists_the_topics_in_order(client, catalog):
    response = client.get("/api/v1/catalog/topics")

    assert response.status_code == 200
    assert [(topic["slug"], topic["name"]) for topic in response.json()] == [
        ("roads", {"en": "Roads", "fr": "Routes"}),
        ("parks", {"en": "Parks", "fr": "Parcs"}),
    ]


def test_only_listed_services_appear_and_a_topic_filter_keeps_its_own(client, catalog):
    everything = client.get("/api/v1/catalog/services").json()
    roads = client.get("/api/v1/catalog/services", {"topic": "roads"}).json()

    assert sorted(service["code"] for service in everything) == ["bench", "pothole"]
    assert [service["code"] for service in roads] == ["pothole"]
    assert roads[0]["name"] == {"en": "Pothole", "fr": "Nid-de-poule"}


def test_search_finds_a_service_by_its_french_name(client, catalog):
    response = client.get("/api/v1/catalog/services", {"q": "nid de poule"})

    assert [service["code"] for service in response.json()][:1] == ["pothole"]


def test_a_service_comes_with_its_fields_in_form_order_and_their_choices(client, catalog):
    response = client.get("/api/v1/catalog/services/pothole")

    body = response.json()
    assert response.status_code == 200
    assert [field["code"] for field in body["fields"]] == ["notes", "size"]
    assert body["fields"][0]["is_private"] is True
    assert body["fields"][1]["choices"] == [
        {"key": "large", "name": {"en": "Large", "fr": "Grand"}}
    ]


@pytest.mark.parametrize("code", ["retired", "nothing-here"])
def test_an_unlisted_or_unknown_service_is_404(client, catalog, code):
    response = client.get(f"/api/v1/catalog/services/{code}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_filter_is_refused_by_name(client, catalog):
    response = client.get("/api/v1/catalog/services", {"topics": "roads"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"topics": ["This field is not known."]}


def test_the_catalog_list_takes_a_bounded_number_of_queries(
    client, catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get("/api/v1/catalog/services")
