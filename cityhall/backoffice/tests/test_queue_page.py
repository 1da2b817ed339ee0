import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.places.tests.factories import DistrictFactory
from cityhall.servicerequests.models import SatisfactionRating, ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

QUEUE = "/en/staff/requests/"
Status = ServiceRequest.Status


def _listed(response) -> list[str]:
    return [row.service_request.tracking_number for row in response.context["rows"]]


def _submitted(ago: timedelta, due_in: timedelta, **fields) -> ServiceRequest:
    now = timezone.now()
    service_request = ServiceRequestFactory(due_at=now + due_in, **fields)
    ServiceRequest.objects.filter(pk=service_request.pk).update(created_at=now - ago)
    return service_request


@pytest.fixture
def agent_client(client, agent):
    sign_in_with_two_factor(client, agent)
    return client


def test_an_agent_sees_the_open_requests_of_their_department_only(agent_client):
    mine = ServiceRequestFactory(tracking_number="PW-1")
    ServiceRequestFactory(tracking_number="PW-DONE", status=Status.REJECTED)
    ServiceRequestFactory(tracking_number="PARKS-1", service__department__code="parks")

    response = agent_client.get(QUEUE)

    assert response.status_code == 200
    assert _listed(response) == [mine.tracking_number]


def test_a_city_admin_sees_every_department(client, admin):
    ServiceRequestFactory(tracking_number="PW-1")
    ServiceRequestFactory(tracking_number="PARKS-1", service__department__code="parks")
    sign_in_with_two_factor(client, admin)

    response = client.get(QUEUE)

    assert sorted(_listed(response)) == ["PARKS-1", "PW-1"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=rejected", ["PW-REJECTED"]),
        ("priority=urgent", ["PW-URGENT"]),
        ("sla=overdue", ["PW-LATE"]),
        ("sla=due_soon", ["PW-SOON"]),
        ("assigned=unassigned", ["PW-LATE", "PW-SOON", "PW-URGENT"]),
        ("assigned=mine", ["PW-MINE"]),
    ],
)
def test_the_queue_is_filtered(agent_client, agent, query, expected):
    _submitted(timedelta(hours=10), timedelta(hours=-1), tracking_number="PW-LATE")
    _submitted(timedelta(hours=9), timedelta(hours=1), tracking_number="PW-SOON")
    _submitted(
        timedelta(hours=1), timedelta(hours=9), tracking_number="PW-URGENT", priority="urgent"
    )
    _submitted(timedelta(hours=1), timedelta(hours=30), tracking_number="PW-MINE", assignee=agent)
    ServiceRequestFactory(tracking_number="PW-REJECTED", status=Status.REJECTED)

    response = agent_client.get(f"{QUEUE}?{query}")

    assert sorted(_listed(response)) == expected


def test_the_queue_is_filtered_by_service_and_district(agent_client):
    service = ServiceFactory(department__code="public-works")
    district = DistrictFactory()
    ServiceRequestFactory(tracking_number="PW-PLAIN")
    ServiceRequestFactory(tracking_number="PW-SERVICE", service=service)
    ServiceRequestFactory(tracking_number="PW-DISTRICT", district=district)

    by_service = agent_client.get(f"{QUEUE}?service={service.public_id}")
    by_district = agent_client.get(f"{QUEUE}?district={district.public_id}")

    assert _listed(by_service) == ["PW-SERVICE"]
    assert _listed(by_district) == ["PW-DISTRICT"]


def test_the_queue_is_sorted_by_due_date_age_or_priority(agent_client):
    _submitted(timedelta(hours=1), timedelta(hours=2), tracking_number="A-YOUNG-SOON")
    _submitted(timedelta(hours=5), timedelta(hours=50), tracking_number="B-OLD-LATER")
    _submitted(
        timedelta(hours=3), timedelta(hours=20), tracking_number="C-URGENT", priority="urgent"
    )

    by_due = agent_client.get(QUEUE)
    by_age = agent_client.get(f"{QUEUE}?order=age")
    by_priority = agent_client.get(f"{QUEUE}?order=priority")

    assert _listed(by_due) == ["A-YOUNG-SOON", "C-URGENT", "B-OLD-LATER"]
    assert _listed(by_age) == ["B-OLD-LATER", "C-URGENT", "A-YOUNG-SOON"]
    assert _listed(by_priority) == ["C-URGENT", "A-YOUNG-SOON", "B-OLD-LATER"]


def test_the_sla_state_is_written_in_words_beside_an_icon(agent_client):
    _submitted(timedelta(hours=10), timedelta(hours=-1), tracking_number="PW-LATE")

    response = agent_client.get(QUEUE)

    assert re.search(
        r'<svg class="sla-icon" aria-hidden="true"[^>]*>.*?</svg> Overdue',
        response.content.decode(),
    )


def test_the_queue_is_paginated_and_keeps_its_filters(agent_client):
    for number in range(30):
        ServiceRequestFactory(tracking_number=f"PW-{number:02d}", priority="high")

    first = agent_client.get(f"{QUEUE}?priority=high")
    second = agent_client.get(f"{QUEUE}?priority=high&page=2")

    assert len(first.context["rows"]) == 25
    assert "?priority=high&amp;page=2" in first.content.decode()
    assert len(second.context["rows"]) == 5


def test_the_queue_page_runs_a_bounded_number_of_queries(
    agent_client, django_assert_max_num_queries
):
    for _ in range(20):
        ServiceRequestFactory(district=DistrictFactory(), priority="high")

    with django_assert_max_num_queries(14):
        response = agent_client.get(f"{QUEUE}?sla=on_time&order=priority")

    assert response.status_code == 200


def test_an_unknown_filter_value_is_reported_and_the_queue_still_shows(agent_client):
    ServiceRequestFactory(tracking_number="PW-1")

    response = agent_client.get(f"{QUEUE}?priority=whenever")

    assert "priority" in response.context["form"].errors
    assert _listed(response) == ["PW-1"]


def test_the_queue_needs_a_two_factor_staff_session(client, agent):
    client.force_login(agent)

    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/staff/sign-in/")


def test_anonymous_visitors_are_sent_to_the_staff_sign_in(client):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/staff/sign-in/")


def test_a_citizen_cannot_open_the_queue(client, citizen):
    sign_in_with_two_factor(client, citizen)

    response = client.get(QUEUE)

    assert response.status_code == 403


def test_the_sla_clock_stops_once_a_request_is_settled(agent_client):
    late = _submitted(timedelta(hours=10), timedelta(hours=-1), tracking_number="PW-DONE")
    ServiceRequest.objects.filter(pk=late.pk).update(status=Status.REJECTED)

    overdue = agent_client.get(f"{QUEUE}?status=rejected&sla=overdue")
    rejected = agent_client.get(f"{QUEUE}?status=rejected")

    assert _listed(overdue) == []
    assert rejected.context["rows"][0].sla_label == "Stopped: the request is settled"


def test_the_queue_shows_the_departments_average_rating(agent_client, citizen, other_citizen):
    for rater, score in ((citizen, 5), (other_citizen, 4)):
        settled = ServiceRequestFactory(
            reporter=rater, status=Status.CLOSED, closed_at=timezone.now()
        )
        SatisfactionRating.objects.create(service_request=settled, rater=rater, score=score)

    page = agent_client.get(QUEUE).content.decode()

    assert "4.5 out of 5 (2 ratings)" in page


def test_the_queue_lists_requests_handed_to_a_partner_with_its_name(agent_client):
    utility = PartnerOrganisationFactory(name="Hydro Rivière")
    ServiceRequestFactory(tracking_number="PW-PARTNER", assigned_partner=utility)
    ServiceRequestFactory(tracking_number="PW-CITY")

    response = agent_client.get(f"{QUEUE}?assigned=partner")

    assert _listed(response) == ["PW-PARTNER"]
    assert "Hydro Rivière" in response.content.decode()


def test_a_request_due_soon_is_marked_with_a_drawn_icon_not_an_emoji(agent_client):
    _submitted(timedelta(hours=9), timedelta(hours=1), tracking_number="PW-SOON")

    content = agent_client.get(QUEUE).content.decode()

    assert "Due soon" in content
    assert "\u23f3" not in content  # an hourglass shows as an empty box without an emoji font
    assert re.search(r'<svg class="sla-icon"[^>]*>.*?</svg> Due soon', content)


@pytest.mark.parametrize(("language", "written"), [("en", "March 4, 2026"), ("fr", "4 mars 2026")])
def test_queue_dates_are_written_out_in_the_pages_language(agent_client, language, written):
    created = datetime(2026, 3, 4, 17, 0, tzinfo=UTC)  # midday in the Americas and Europe
    service_request = ServiceRequestFactory()
    ServiceRequest.objects.filter(pk=service_request.pk).update(created_at=created)

    content = agent_client.get(f"/{language}/staff/requests/").content.decode()

    assert written in content
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", content)
