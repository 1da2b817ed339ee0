import pytest

from cityhall.catalog.tests.factories import ServiceFactory, TopicFactory

SERVICES = "/en/services/"


@pytest.fixture
def pothole(db):
    roads = TopicFactory(slug="roads", name_en="Roads", name_fr="Routes")
    return ServiceFactory(
        code="pothole",
        name_en="Pothole",
        name_fr="Nid-de-poule",
        description_en="A hole in the street.",
        description_fr="Un trou dans la rue.",
        topic=roads,
    )


@pytest.fixture
def library_card(db):
    culture = TopicFactory(slug="culture", name_en="Culture", name_fr="Culture", order=2)
    return ServiceFactory(
        code="library-card", name_en="Library card", name_fr="Carte de bibliothèque", topic=culture
    )


def test_search_finds_a_service_by_its_english_name(client, pothole, library_card):
    response = client.get(SERVICES, {"q": "pothole"})

    results = response.content.decode().split('id="results-heading"')[1].split("topics-heading")[0]
    assert response.status_code == 200
    assert "/en/services/pothole/request/" in results
    assert "Library card" not in results


def test_search_in_french_shows_french_names(client, pothole, library_card):
    response = client.get("/fr/services/", {"q": "nid de poule"})

    results = response.content.decode().split('id="results-heading"')[1].split("topics-heading")[0]
    assert "Nid-de-poule" in results
    assert "/fr/services/pothole/request/" in results
    assert "Carte de bibliothèque" not in results


def test_a_search_without_matches_says_so(client, pothole):
    response = client.get(SERVICES, {"q": "zzzzqqq"})

    assert "No service matches these words" in response.content.decode()


def test_without_a_query_every_service_is_listed_under_its_topic(client, pothole, library_card):
    response = client.get(SERVICES)

    page = response.content.decode()
    assert "results-heading" not in page
    assert page.index("Roads") < page.index("Pothole") < page.index("Culture")
    assert page.index("Culture") < page.index("Library card")


def test_a_service_closed_to_requests_is_listed_without_a_request_link(client, db):
    ServiceFactory(code="closed", name_en="Closed service", accepts_requests=False)

    page = client.get(SERVICES).content.decode()

    assert "Closed service" in page
    assert "/en/services/closed/request/" not in page


def test_the_services_page_reads_a_bounded_number_of_queries(
    client, db, django_assert_max_num_queries
):
    for number in range(30):
        ServiceFactory(code=f"service-{number}", topic=TopicFactory(slug=f"topic-{number % 5}"))

    with django_assert_max_num_queries(8):
        response = client.get(SERVICES, {"q": "service"})

    assert response.status_code == 200
