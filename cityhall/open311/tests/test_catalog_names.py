"""Request lists take service and department names from per-process tables."""

from cityhall.catalog.models import Department, Service
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

URL = "/open311/v2/requests.json"


def test_a_page_reads_one_query_once_the_catalog_is_known(
    client, pothole, django_assert_num_queries
):
    ServiceRequestFactory(service=pothole)
    client.get(URL)
    ServiceRequestFactory(service=pothole)

    with django_assert_num_queries(1):
        response = client.get(URL, {"service_code": "pothole"})

    assert len(response.json()) == 2


def test_a_service_created_unseen_by_this_process_is_found_by_its_code(client, pothole):
    client.get(URL)  # the tables are read
    # Rows written without model signals, as another process with its own cache would.
    [department] = Department.objects.bulk_create(
        [DepartmentFactory.build(code="parks", name_en="Parks", name_fr="Parcs")]
    )
    [service] = Service.objects.bulk_create(
        [Service(code="graffiti", name_en="Graffiti", name_fr="Graffitis", department=department)]
    )
    ServiceRequestFactory(service=service, department=department)

    item = client.get(URL, {"service_code": "graffiti"}).json()[0]

    assert (item["service_code"], item["service_name"]) == ("graffiti", "Graffiti")
    assert item["agency_responsible"] == "Parks"


def test_names_follow_the_language_asked_for(client, pothole):
    ServiceRequestFactory(service=pothole)

    english = client.get(URL).json()[0]
    french = client.get(URL, {"lang": "fr"}).json()[0]

    assert (english["service_name"], french["service_name"]) == ("Pothole", "Nid-de-poule")
