"""Request events become outbox rows for the subscriptions in scope, in the change's transaction."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.catalog.tests.factories import DepartmentFactory, ServiceFactory
from cityhall.integrations.models import WebhookDelivery, WebhookEvent
from cityhall.integrations.services import record_webhook_deliveries
from cityhall.integrations.tests.factories import WebhookSubscriptionFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import (
    Contact,
    Location,
    assign_service_request,
    change_service_request_status,
    submit_service_request,
)
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db
CREATED = WebhookEvent.SERVICE_REQUEST_CREATED
STATUS_CHANGED = WebhookEvent.SERVICE_REQUEST_STATUS_CHANGED
ASSIGNED = WebhookEvent.SERVICE_REQUEST_ASSIGNED


def file_request(reporter, **overrides):
    service = ServiceFactory(code="pothole", department__code="public-works")
    arguments = {
        "reporter": reporter,
        "service": service,
        "description": "Camille here: deep pothole in front of my house, call 514-555-0199.",
        "answers": {},
        "location": Location(45.51, -73.59),
        "address_text": "12 rue des Érables",
        "channel": ServiceRequest.Channel.PORTAL,
    }
    return submit_service_request(**(arguments | overrides))


def file_then_fail(reporter, written_inside):
    with transaction.atomic():
        file_request(reporter)
        written_inside.append(WebhookDelivery.objects.count())
        raise RuntimeError("the change fails after its event was sent")


def bodies(subscription):
    return [json.loads(delivery.body) for delivery in subscription.deliveries.order_by("id")]


def test_a_filed_request_is_sent_to_a_city_system_after_commit(
    citizen, webhook_receiver, django_capture_on_commit_callbacks
):
    subscription = WebhookSubscriptionFactory(target_url=webhook_receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        service_request = file_request(citizen)
        assert webhook_receiver.received == []  # nothing leaves before the commit

    (delivery,) = subscription.deliveries.all()
    assert delivery.event == CREATED
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    body = json.loads(webhook_receiver.received[0].body)
    assert body["type"] == CREATED
    assert body["id"] == str(delivery.public_id)
    assert body["data"]["service_request"]["id"] == str(service_request.public_id)
    assert body["data"]["service_request"]["service_code"] == "pothole"


def test_a_rolled_back_change_writes_and_sends_nothing(
    citizen, webhook_receiver, django_capture_on_commit_callbacks
):
    WebhookSubscriptionFactory(target_url=webhook_receiver.url)

    written_inside: list[int] = []

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        file_then_fail(citizen, written_inside)

    assert written_inside == [1]
    assert WebhookDelivery.objects.count() == 0
    assert callbacks == []
    assert webhook_receiver.received == []


def test_payloads_carry_no_personal_data(citizen, agent):
    subscription = WebhookSubscriptionFactory()
    service_request = file_request(
        None,
        contact=Contact(name="Jean Tremblay", email="jean@example.org", phone="+15145550199"),
        client_token="device-1",
    )
    service_request = file_request(citizen)
    change_service_request_status(
        service_request=service_request,
        actor=agent,
        to_status=ServiceRequest.Status.ACKNOWLEDGED,
        public_note="Thanks Camille, a crew is coming.",
        internal_note="Reporter is a neighbour of the mayor.",
    )
    assign_service_request(service_request=service_request, actor=agent, assignee=agent)

    sent = " ".join(delivery.body for delivery in subscription.deliveries.all())

    assert subscription.deliveries.count() == 4
    for private in (
        "Jean Tremblay", "jean@example.org", "5550199", "device-1", "Camille",
        citizen.email, str(citizen.public_id), agent.email, str(agent.public_id),
        "rue des Érables", "pothole in front", "crew is coming", "mayor",
    ):  # fmt: skip
        assert private not in sent


def test_a_sensitive_services_point_is_coarsened(citizen):
    subscription = WebhookSubscriptionFactory()
    service = ServiceFactory(code="shelter-need", is_sensitive=True)

    file_request(citizen, service=service, location=Location(45.512345, -73.591234))

    (body,) = bodies(subscription)
    summary = body["data"]["service_request"]
    assert (summary["latitude"], summary["longitude"]) == (45.512, -73.591)


def test_a_department_system_hears_only_of_its_departments_requests(citizen):
    public_works = WebhookSubscriptionFactory(
        department=DepartmentFactory(code="public-works"), city_system="Road crews"
    )
    parks = WebhookSubscriptionFactory(
        department=DepartmentFactory(code="parks"), city_system="Parks"
    )
    city_wide = WebhookSubscriptionFactory()

    file_request(citizen)

    assert [len(bodies(each)) for each in (public_works, parks, city_wide)] == [1, 0, 1]


def test_a_subscription_hears_only_its_chosen_events_and_only_while_active(citizen, agent):
    only_status = WebhookSubscriptionFactory(events=[STATUS_CHANGED])
    disabled = WebhookSubscriptionFactory(is_active=False)

    service_request = file_request(citizen)
    change_service_request_status(
        service_request=service_request, actor=agent, to_status=ServiceRequest.Status.ACKNOWLEDGED
    )

    (body,) = bodies(only_status)
    assert body["data"]["status_change"] == {
        "from": "submitted",
        "to": "acknowledged",
        "at": body["occurred_at"],
    }
    assert bodies(disabled) == []


def test_a_partner_hears_of_its_assigned_requests_and_another_partner_hears_nothing(agent):
    utility, other = PartnerOrganisationFactory(), PartnerOrganisationFactory()
    ours = WebhookSubscriptionFactory(partner=utility)
    theirs = WebhookSubscriptionFactory(partner=other)
    assigned = ServiceRequestFactory(assigned_partner=utility)
    unassigned = ServiceRequestFactory()

    for service_request in (assigned, unassigned):
        change_service_request_status(
            service_request=service_request,
            actor=agent,
            to_status=ServiceRequest.Status.ACKNOWLEDGED,
        )

    (body,) = bodies(ours)
    assert body["data"]["service_request"]["id"] == str(assigned.public_id)
    assert body["data"]["service_request"]["assigned_partner_id"] == str(utility.public_id)
    assert bodies(theirs) == []


def test_an_assignment_is_sent_to_the_partner_it_was_assigned_to(agent):
    utility, other = PartnerOrganisationFactory(), PartnerOrganisationFactory()
    ours = WebhookSubscriptionFactory(partner=utility, events=[ASSIGNED])
    theirs = WebhookSubscriptionFactory(partner=other, events=[ASSIGNED])
    service_request = ServiceRequestFactory(assigned_partner=utility)

    assign_service_request(service_request=service_request, actor=agent, assignee=agent)

    (body,) = bodies(ours)
    assert body["type"] == ASSIGNED
    assert body["data"]["assignment"] == {
        "partner_id": str(utility.public_id),
        "has_assignee": True,
    }
    assert bodies(theirs) == []


def test_an_inactive_partner_hears_nothing(agent):
    utility = PartnerOrganisationFactory(is_active=False)
    subscription = WebhookSubscriptionFactory(partner=utility)
    service_request = ServiceRequestFactory(assigned_partner=utility)

    change_service_request_status(
        service_request=service_request, actor=agent, to_status=ServiceRequest.Status.ACKNOWLEDGED
    )

    assert bodies(subscription) == []


def test_an_event_nobody_listens_to_costs_one_query(agent, django_assert_num_queries):
    service_request = ServiceRequestFactory.build(department=agent.staff_roles.get().department)

    with django_assert_num_queries(1):
        record_webhook_deliveries(
            event=CREATED,
            service_request=service_request,
            build_data=lambda: pytest.fail("no payload is built for nobody"),
            partner=None,
        )
