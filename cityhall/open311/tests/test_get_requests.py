from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from cityhall.accounts.tests.factories import UserFactory
from cityhall.open311.tests.contract import (
    json_example_shape,
    json_shape,
    parse_xml,
    xml_example_shape,
    xml_shape,
)
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory

URL = "/open311/v2/requests.json"


def filed(days_ago=0, **fields):
    service_request = ServiceRequestFactory(**fields)
    moment = timezone.now() - timedelta(days=days_ago)
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        created_at=moment, updated_at=moment
    )
    service_request.refresh_from_db()
    return service_request


def ids(response):
    return [item["service_request_id"] for item in response.json()]


@pytest.fixture
def private_request(pothole):
    return filed(
        service=pothole,
        reporter=UserFactory(full_name="Secret Person", email="secret@example.org"),
        contact_name="Secret Person",
        contact_email="secret@example.org",
        contact_phone="555-0199",
        description="Secret Person at 12 Hidden Lane says hi.",
        address_text="12 Hidden Lane",
        answers={"size": "large", "crew": "secret crew note"},
        latitude=45.512345,
        longitude=-73.591234,
    )


def test_requests_xml_has_the_examples_elements(client, private_request):
    response = client.get("/open311/v2/requests.xml")

    assert response.status_code == 200
    assert xml_shape(parse_xml(response.content)) == xml_example_shape("service-requests.xml")


def test_requests_json_has_the_examples_keys_and_spec_values(client, private_request):
    StatusChangeFactory(
        service_request=private_request, to_status="in_progress", public_note="Crew sent."
    )
    ServiceRequest.objects.filter(pk=private_request.pk).update(status="in_progress")

    body = client.get(URL).json()

    assert json_shape(body) == json_example_shape("service-requests.json")
    item = body[0]
    assert item["service_request_id"] == private_request.tracking_number
    assert item["service_code"] == "pothole"
    assert item["status"] == "open"
    assert item["status_notes"] == "In progress: Crew sent."
    assert item["lat"] == 45.512345
    assert item["requested_datetime"][-6] in "+-"


def test_get_output_holds_no_personal_data(client, private_request):
    for url in ("/open311/v2/requests.json", "/open311/v2/requests.xml"):
        text = client.get(url).content.decode()

        for secret in ("Secret", "secret@", "555-0199", "Hidden Lane", "crew"):
            assert secret not in text


def test_points_of_sensitive_services_are_coarsened(client, private_request):
    private_request.service.is_sensitive = True
    private_request.service.save()

    item = client.get(URL).json()[0]

    assert (item["lat"], item["long"]) == (45.512, -73.591)


def test_closed_rejected_and_duplicate_requests_are_closed(client, pothole):
    closed = filed(service=pothole, status="closed", closed_at=timezone.now())
    rejected = filed(service=pothole, status="rejected")
    still_open = filed(service=pothole, status="on_hold")

    closed_ids = ids(client.get(f"{URL}?status=closed"))
    open_ids = ids(client.get(f"{URL}?status=open"))
    both = ids(client.get(f"{URL}?status=open,closed"))

    assert sorted(closed_ids) == sorted([closed.tracking_number, rejected.tracking_number])
    assert open_ids == [still_open.tracking_number]
    assert len(both) == 3


def test_the_default_window_is_the_last_90_days(client, pothole):
    recent = filed(days_ago=10, service=pothole)
    filed(days_ago=100, service=pothole)

    assert ids(client.get(URL)) == [recent.tracking_number]


def test_start_and_end_dates_bound_the_creation_time(client, pothole):
    old = filed(days_ago=100, service=pothole)
    filed(days_ago=10, service=pothole)
    start = (timezone.now() - timedelta(days=120)).isoformat()
    end = (timezone.now() - timedelta(days=50)).isoformat()

    response = client.get(URL, {"start_date": start, "end_date": end})

    assert ids(response) == [old.tracking_number]


def test_an_unencoded_offset_in_a_date_is_understood(client, pothole):
    recent = filed(days_ago=1, service=pothole)
    start = (timezone.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    response = client.get(f"{URL}?start_date={start}")

    assert ids(response) == [recent.tracking_number]


def test_service_request_id_ignores_every_other_filter(client, pothole):
    old = filed(days_ago=400, service=pothole)
    other = filed(service=pothole)

    response = client.get(
        URL, {"service_request_id": f"{old.tracking_number},{other.tracking_number}",
              "status": "closed", "service_code": "nothing"}
    )  # fmt: skip

    assert sorted(ids(response)) == sorted([old.tracking_number, other.tracking_number])


def test_service_code_filters(client, pothole):
    wanted = filed(service=pothole)
    filed()

    assert ids(client.get(URL, {"service_code": "pothole"})) == [wanted.tracking_number]


def test_updated_after_and_before_filter_on_the_last_change(client, pothole):
    filed(days_ago=20, service=pothole)
    fresh = filed(days_ago=1, service=pothole)
    middle = (timezone.now() - timedelta(days=5)).isoformat()

    after = client.get(URL, {"updated_after": middle})
    before = client.get(URL, {"updated_before": middle})

    assert ids(after) == [fresh.tracking_number]
    assert fresh.tracking_number not in ids(before)


def test_pages_split_the_list_newest_first(client, pothole):
    newest, middle, oldest = (filed(days_ago=days, service=pothole) for days in (1, 2, 3))

    first = client.get(URL, {"page_size": 2})
    second = client.get(URL, {"page_size": 2, "page": 2})

    assert ids(first) == [newest.tracking_number, middle.tracking_number]
    assert ids(second) == [oldest.tracking_number]


def test_an_empty_list_is_an_empty_array(client, db):
    as_json = client.get(URL)
    as_xml = client.get("/open311/v2/requests.xml")

    assert as_json.json() == []
    assert parse_xml(as_xml.content).tag == "service_requests"


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45T00:00:00Z"},
        {"updated_after": "soon"},
        {"updated_before": "2026-02-30"},
        {"start_date": "2026-05-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"},
        {"status": "pending"},
        {"page": "0"},
        {"page_size": "1001"},
        {"page_size": "many"},
    ],
)
def test_malformed_parameters_are_a_400(client, db, query):
    response = client.get(URL, query)

    assert response.status_code == 400
    assert json_shape(response.json()) == json_example_shape("errors.json")


def test_an_unchanged_list_is_a_304_and_a_new_note_changes_it(client, private_request):
    first = client.get(URL)

    unchanged = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    StatusChangeFactory(service_request=private_request, public_note="Crew on site.")
    changed = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert unchanged.status_code == 304
    assert changed.status_code == 200


def test_a_full_page_reads_a_fixed_number_of_queries(
    client, pothole, django_assert_max_num_queries
):
    for _ in range(5):
        filed(service=pothole)

    with django_assert_max_num_queries(3):
        response = client.get(URL)

    assert len(response.json()) == 5


def test_an_unknown_service_code_is_a_404_but_a_withdrawn_one_still_filters(client, pothole):
    withdrawn = filed(service=pothole)
    pothole.is_active = False
    pothole.save()

    unknown = client.get(URL, {"service_code": "pothole,nothing"})
    known = client.get(URL, {"service_code": "pothole"})

    assert unknown.status_code == 404
    assert unknown.json()[0]["description"] == "Unknown service_code nothing."
    assert ids(known) == [withdrawn.tracking_number]


def test_an_end_date_alone_looks_90_days_back_from_it(client, pothole):
    filed(days_ago=200, service=pothole)
    inside = filed(days_ago=100, service=pothole)
    filed(days_ago=10, service=pothole)
    end = (timezone.now() - timedelta(days=50)).isoformat()

    assert ids(client.get(URL, {"end_date": end})) == [inside.tracking_number]


def test_at_most_1000_requests_come_back_by_default(client, pothole):
    template = ServiceRequestFactory(service=pothole)
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            service=pothole,
            department=template.department,
            tracking_number=f"BULK-{number}",
            description=template.description,
            channel=template.channel,
        )
        for number in range(1000)
    )

    assert len(client.get(URL).json()) == 1000
    assert len(client.get(URL, {"page": 2}).json()) == 1


def test_head_answers_like_get(client, private_request):
    response = client.head(URL)

    assert response.status_code == 200
    assert response["ETag"] == client.get(URL)["ETag"]


def test_a_later_public_step_is_the_last_change_and_gives_the_last_note(client, private_request):
    step_time = timezone.now() + timedelta(hours=1)
    for note in ("Crew sent.", "   "):
        step = StatusChangeFactory(service_request=private_request, public_note=note)
        StatusChange.objects.filter(pk=step.pk).update(created_at=step_time)

    response = client.get(URL)

    item = response.json()[0]
    assert item["updated_datetime"] == timezone.localtime(step_time).isoformat(timespec="seconds")
    assert item["status_notes"] == "Submitted: Crew sent."
    assert response["Last-Modified"] == http_date(step_time.timestamp())
