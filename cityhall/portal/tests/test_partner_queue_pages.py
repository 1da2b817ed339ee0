"""Partner members work the requests handed to their organisation, and see nothing else."""

import pytest

from cityhall.accounts.tests.factories import PartnerMembershipFactory
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.models import AuditEvent
from cityhall.portal.views_requests.partner_queue import PARTNER_QUEUE_PAGE_SIZE
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

Status = ServiceRequest.Status
QUEUE = "/en/partner/requests/"


def _page(service_request, action=""):
    return f"{QUEUE}{service_request.public_id}/{action}"


@pytest.fixture
def handed_over(partner, citizen):
    return ServiceRequestFactory(
        tracking_number="RAS-26-000500",
        assigned_partner=partner.partner_memberships.get().organisation,
        reporter=citizen,
        contact_name="Camille Tremblay",
        contact_email="camille@example.org",
        contact_phone="514-555-0100",
        status=Status.ACKNOWLEDGED,
    )


@pytest.fixture
def partner_client(client, partner):
    client.force_login(partner)
    return client


def test_the_queue_lists_only_what_was_handed_to_the_organisation(partner_client, handed_over):
    ServiceRequestFactory(tracking_number="RAS-26-000501")
    ServiceRequestFactory(
        tracking_number="RAS-26-000502",
        assigned_partner=PartnerMembershipFactory().organisation,
    )

    page = partner_client.get(QUEUE).content.decode()

    assert "RAS-26-000500" in page
    assert "RAS-26-000501" not in page
    assert "RAS-26-000502" not in page


def test_the_request_page_leaves_out_the_reporter_and_is_audited(
    partner_client, partner, handed_over
):
    page = partner_client.get(_page(handed_over)).content.decode()

    assert handed_over.description in page
    for personal in ("Camille", "camille@example.org", "514-555-0100"):
        assert personal not in page
    event = AuditEvent.objects.get(action=ServiceRequestAuditAction.VIEWED_BY_PARTNER)
    assert event.actor == partner


def test_the_partner_starts_updates_and_resolves_the_work(partner_client, handed_over):
    partner_client.post(_page(handed_over, "status/"), {"status-to_status": "in_progress"})
    partner_client.post(_page(handed_over, "update/"), {"update-public_note": "Crew on site."})
    partner_client.post(
        _page(handed_over, "status/"),
        {"status-to_status": "resolved", "status-public_note": "Pipe fixed."},
    )

    handed_over.refresh_from_db()
    assert handed_over.status == Status.RESOLVED
    notes = list(handed_over.status_changes.values_list("public_note", flat=True))
    assert notes == ["", "Crew on site.", "Pipe fixed."]
    page = partner_client.get(_page(handed_over)).content.decode()
    assert "Status: Resolved</strong>. Pipe fixed." in page


def test_an_empty_update_is_explained_next_to_the_field(partner_client, handed_over):
    response = partner_client.post(_page(handed_over, "update/"), {"update-public_note": ""})

    assert response.status_code == 200
    assert 'id="id_update-public_note_error"' in response.content.decode()
    assert not handed_over.status_changes.exists()


def test_a_status_the_partner_may_not_choose_is_refused(partner_client, handed_over):
    response = partner_client.post(_page(handed_over, "status/"), {"status-to_status": "rejected"})

    assert response.status_code == 200
    handed_over.refresh_from_db()
    assert handed_over.status == Status.ACKNOWLEDGED


@pytest.mark.parametrize("action", ["", "status/", "update/"])
def test_another_partners_request_is_not_found(partner_client, action):
    elsewhere = ServiceRequestFactory(assigned_partner=PartnerMembershipFactory().organisation)

    if action:
        response = partner_client.post(
            _page(elsewhere, action), {"status-to_status": "in_progress"}
        )
    else:
        response = partner_client.get(_page(elsewhere))

    assert response.status_code == 404


def test_an_unassigned_request_is_not_found(partner_client):
    assert partner_client.get(_page(ServiceRequestFactory())).status_code == 404


def test_a_citizen_who_is_no_partner_gets_404(client, citizen, handed_over):
    client.force_login(citizen)

    assert client.get(QUEUE).status_code == 404
    assert client.get(_page(handed_over)).status_code == 404


def test_my_requests_links_partner_members_to_their_queue(partner_client):
    assert QUEUE in partner_client.get("/en/requests/").content.decode()


def test_the_queue_filters_by_status_and_by_service(partner_client, partner, handed_over):
    organisation = partner.partner_memberships.get().organisation
    potholes = ServiceFactory(name_en="Potholes")
    ServiceRequestFactory(
        tracking_number="RAS-26-000510", assigned_partner=organisation, status=Status.IN_PROGRESS
    )
    ServiceRequestFactory(
        tracking_number="RAS-26-000511",
        assigned_partner=organisation,
        status=Status.IN_PROGRESS,
        service=potholes,
    )

    in_progress = partner_client.get(QUEUE, {"status": "in_progress"}).content.decode()
    both = partner_client.get(
        QUEUE, {"status": "in_progress", "service": potholes.code}
    ).content.decode()

    assert "RAS-26-000500" not in in_progress
    assert "RAS-26-000510" in in_progress
    assert "RAS-26-000511" in in_progress
    assert "RAS-26-000510" not in both
    assert "RAS-26-000511" in both
    assert f'<option value="{potholes.code}" selected>Potholes</option>' in both


def test_the_queue_offers_only_the_services_handed_over(partner_client, handed_over):
    elsewhere = ServiceFactory(name_en="Graffiti")
    ServiceRequestFactory(service=elsewhere)

    page = partner_client.get(QUEUE).content.decode()

    assert handed_over.service.name_en in page
    assert "Graffiti" not in page


def test_the_queue_is_paged_and_keeps_its_filters_across_pages(
    partner_client, partner, django_assert_max_num_queries
):
    organisation = partner.partner_memberships.get().organisation
    ServiceRequestFactory.create_batch(
        PARTNER_QUEUE_PAGE_SIZE + 5, assigned_partner=organisation, status=Status.IN_PROGRESS
    )

    with django_assert_max_num_queries(12):
        first = partner_client.get(QUEUE, {"status": "in_progress"})
    second = partner_client.get(QUEUE, {"status": "in_progress", "page": 2})

    assert len(first.context["page"]) == PARTNER_QUEUE_PAGE_SIZE
    assert "status=in_progress&amp;page=2" in first.content.decode()
    assert len(second.context["page"]) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_no_request_matching_the_filters_is_said_so(partner_client, handed_over):
    page = partner_client.get(QUEUE, {"status": "closed"}).content.decode()

    assert "No request handed to your organisation matches these filters." in page


def test_the_partner_page_tells_an_update_from_a_status_change(partner_client, handed_over):
    partner_client.post(_page(handed_over, "update/"), {"update-public_note": "Crew on site."})

    page = partner_client.get(_page(handed_over)).content.decode()

    assert "<strong>Update from the city</strong>: Crew on site." in page
