"""Partners' alerts: the city sets a partner's service area; its managers draft alerts inside
it from the portal, which go to the city for approval; outside it, nothing is saved."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cityhall.accounts.models import StaffRole
from cityhall.accounts.tests.factories import PartnerMembershipFactory, StaffRoleFactory
from cityhall.alerts.models import Alert, PartnerAlertArea
from cityhall.alerts.partner_drafting import set_service_area
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.backoffice.tests.test_alert_authoring_pages import form_data
from cityhall.places.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def city_admin():
    return StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN, department=None).user


@pytest.fixture
def utility():
    """A water utility serving one district, with a manager; a second district beside it."""
    served = DistrictFactory(name="Served")
    DistrictFactory(name="Elsewhere", west=-73.58)
    membership = PartnerMembershipFactory(is_manager=True, organisation__name="Water utility")
    set_service_area(actor=city_admin(), partner=membership.organisation, districts=[served])
    return membership


def test_a_city_admin_sets_a_partner_service_area_in_the_back_office(client) -> None:
    served = DistrictFactory(name="Served")
    partner = PartnerMembershipFactory().organisation
    sign_in_with_two_factor(client, city_admin())
    assert partner.name in client.get(reverse("backoffice:partner_alert_areas")).content.decode()
    url = reverse("backoffice:partner_alert_area", args=[partner.public_id])
    response = client.post(url, {"districts": [str(served.public_id)]})
    assert response.status_code == 302
    assert list(PartnerAlertArea.objects.get(partner=partner).districts.all()) == [served]


def test_a_communications_officer_cannot_set_service_areas(client) -> None:
    officer = StaffRoleFactory(role=StaffRole.Role.COMMUNICATIONS_OFFICER, department=None).user
    sign_in_with_two_factor(client, officer)
    assert client.get(reverse("backoffice:partner_alert_areas")).status_code == 403


def test_a_partner_manager_sends_an_alert_inside_the_service_area(client, utility) -> None:
    served = PartnerAlertArea.objects.get().districts.get()
    client.force_login(utility.user)
    assert "Water utility" in client.get(reverse("portal:partner_alerts")).content.decode()
    url = reverse("portal:partner_alert_new", args=[utility.organisation.public_id])
    response = client.post(url, form_data(districts=[str(served.public_id)]))
    alert = Alert.objects.get()
    assert response.status_code == 302
    assert alert.partner == utility.organisation
    assert alert.state == Alert.State.AWAITING_APPROVAL


def test_an_area_outside_the_service_area_is_refused(client, utility) -> None:
    client.force_login(utility.user)
    url = reverse("portal:partner_alert_new", args=[utility.organisation.public_id])
    ring = [[-73.575, 45.505], [-73.57, 45.505], [-73.57, 45.51], [-73.575, 45.505]]
    data = form_data(
        area_kind="polygon", area_geojson=json.dumps({"type": "Polygon", "coordinates": [ring]})
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "service area" in " ".join(response.context["form"].errors["area_geojson"])
    assert not Alert.objects.exists()


def test_a_member_who_does_not_manage_the_partner_cannot_draft(client, utility) -> None:
    member = PartnerMembershipFactory(organisation=utility.organisation, is_manager=False)
    client.force_login(member.user)
    url = reverse("portal:partner_alert_new", args=[utility.organisation.public_id])
    assert client.get(url).status_code == 404


def test_the_partner_alerts_page_is_only_for_partner_members(client) -> None:
    from cityhall.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("portal:partner_alerts")).status_code == 404
