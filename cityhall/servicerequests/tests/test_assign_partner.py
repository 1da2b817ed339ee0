from __future__ import annotations

import pytest

from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.servicerequests.events import service_request_assigned
from cityhall.servicerequests.selectors import service_requests_for_partner
from cityhall.servicerequests.services import assign_partner, assign_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    service_request_assigned.connect(receiver)
    yield calls
    service_request_assigned.disconnect(receiver)


def test_a_request_handed_to_a_partner_shows_in_its_members_queue(db, agent, partner, heard):
    organisation = partner.partner_memberships.get().organisation
    service_request = ServiceRequestFactory()

    assign_partner(service_request=service_request, actor=agent, partner=organisation)

    assert list(service_requests_for_partner(user=partner)) == [service_request]
    assert heard[-1]["partner"] == organisation
    assert heard[-1]["actor"] == agent


def test_taking_a_request_back_from_the_partner_empties_its_queue(db, agent, partner, heard):
    organisation = partner.partner_memberships.get().organisation
    service_request = ServiceRequestFactory(assigned_partner=organisation)

    assign_partner(service_request=service_request, actor=agent, partner=None)

    assert not service_requests_for_partner(user=partner).exists()
    assert heard[-1]["partner"] is None


def test_an_inactive_organisation_cannot_be_given_a_request(db, agent):
    service_request = ServiceRequestFactory()

    with pytest.raises(InvalidInput) as error:
        assign_partner(
            service_request=service_request,
            actor=agent,
            partner=PartnerOrganisationFactory(is_active=False),
        )

    assert "partner" in error.value.fields


def test_staff_outside_the_department_cannot_hand_a_request_to_a_partner(db, outside_agent):
    with pytest.raises(NotFound):
        assign_partner(
            service_request=ServiceRequestFactory(),
            actor=outside_agent,
            partner=PartnerOrganisationFactory(),
        )


def test_assigning_an_agent_is_announced_with_the_partner_kept(db, agent, heard):
    organisation = PartnerOrganisationFactory()
    service_request = ServiceRequestFactory(assigned_partner=organisation)

    assign_service_request(service_request=service_request, actor=agent, assignee=agent)

    assert heard[-1]["assignee"] == agent
    assert heard[-1]["partner"] == organisation
