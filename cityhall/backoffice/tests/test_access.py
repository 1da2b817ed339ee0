import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor


@staff_member_required(capability=Capability.EDIT_MESSAGE_TEMPLATES)
def _communications_page(request):
    return HttpResponse("ok")


@pytest.mark.django_db
def test_a_verified_staff_member_without_the_pages_role_gets_403(client, agent):
    sign_in_with_two_factor(client, agent)
    request = RequestFactory().get("/en/staff/alerts/")
    request.user = agent
    request.session = client.session

    with pytest.raises(PermissionDenied):
        _communications_page(request)


@pytest.mark.django_db
def test_a_verified_staff_member_with_the_pages_role_gets_in(client, agent):
    sign_in_with_two_factor(client, agent)
    agent.staff_roles.update(role="communications_officer")
    request = RequestFactory().get("/en/staff/alerts/")
    request.user = agent
    request.session = client.session

    assert _communications_page(request).status_code == 200
