"""Partners see and work only the requests assigned to their organisation."""

from __future__ import annotations

import pytest

from cityhall.accounts.tests.factories import PartnerMembershipFactory
from cityhall.core.errors import Conflict, NotFound
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import (
    get_service_request_for_partner,
    partner_view_of,
    service_requests_for_partner,
)
from cityhall.servicerequests.services import (
    change_service_request_status,
    post_public_update,
)
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

Status = ServiceRequest.Status


@pytest.fixture
def organisation(partner):
    return partner.partner_memberships.get().organisation


@pytest.fixture
def assigned(organisation, citizen):
    return ServiceRequestFactory(
        assigned_partner=organisation,
        reporter=citizen,
        contact_email="camille@example.org",
        contact_phone="514-555-0100",
        status=Status.ACKNOWLEDGED,
    )


def test_a_partner_lists_only_what_is_assigned_to_its_organisation(partner, assigned):
    ServiceRequestFactory()  # unassigned
    ServiceRequestFactory(assigned_partner=PartnerMembershipFactory().organisation)

    assert list(service_requests_for_partner(user=partner)) == [assigned]


def test_another_partners_request_is_not_found(partner):
    elsewhere = ServiceRequestFactory(assigned_partner=PartnerMembershipFactory().organisation)

    with pytest.raises(NotFound):
        get_service_request_for_partner(public_id=elsewhere.public_id, user=partner)


def test_an_unassigned_request_is_not_found(partner):
    with pytest.raises(NotFound):
        get_service_request_for_partner(public_id=ServiceRequestFactory().public_id, user=partner)


def test_a_deactivated_organisation_sees_nothing(partner, organisation, assigned):
    organisation.is_active = False
    organisation.save()

    assert not service_requests_for_partner(user=partner).exists()


def test_the_partner_view_leaves_out_the_reporter(partner, assigned):
    loaded = get_service_request_for_partner(public_id=assigned.public_id, user=partner)

    view = partner_view_of(loaded)

    shown = " ".join(str(value) for value in vars(view).values())
    assert "camille" not in shown.lower()
    assert "514-555-0100" not in shown
    assert view.description == assigned.description


def test_a_partner_starts_and_resolves_the_work_with_a_public_update(partner, assigned):
    change_service_request_status(
        service_request=assigned, actor=partner, to_status=Status.IN_PROGRESS
    )
    post_public_update(service_request=assigned, actor=partner, public_note="Crew on site.")
    change_service_request_status(
        service_request=assigned, actor=partner, to_status=Status.RESOLVED, public_note="Done."
    )

    assigned.refresh_from_db()
    assert assigned.status == Status.RESOLVED
    steps = list(assigned.status_changes.values_list("actor", "to_status", "public_note"))
    assert steps == [
        (partner.pk, Status.IN_PROGRESS, ""),
        (partner.pk, Status.IN_PROGRESS, "Crew on site."),
        (partner.pk, Status.RESOLVED, "Done."),
    ]


def test_a_partner_cannot_reject_or_close(partner, assigned):
    with pytest.raises(Conflict):
        change_service_request_status(
            service_request=assigned, actor=partner, to_status=Status.REJECTED
        )


def test_another_partner_cannot_change_or_update_the_request(assigned):
    stranger = PartnerMembershipFactory().user

    with pytest.raises(NotFound):
        change_service_request_status(
            service_request=assigned, actor=stranger, to_status=Status.IN_PROGRESS
        )
    with pytest.raises(NotFound):
        post_public_update(service_request=assigned, actor=stranger, public_note="Hello")
