"""deactivate_service: a service leaves the catalog and stops taking requests."""

from __future__ import annotations

import pytest

from cityhall.catalog.selectors import search_services, services_for_portal
from cityhall.catalog.services import deactivate_service
from cityhall.catalog.tests.factories import DepartmentFactory, ServiceFactory, department_admin_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.fixture
def service(db):
    return ServiceFactory(code="pothole", name_en="Pothole", name_fr="Nid-de-poule",
                          department=DepartmentFactory(code="roads"))  # fmt: skip


def test_a_deactivated_service_is_closed_and_audited(admin, service):
    deactivate_service(service=service, actor=admin)

    service.refresh_from_db()
    assert service.is_active is False
    assert service.accepts_requests is False
    assert AuditEvent.objects.filter(action="catalog.service_deactivated").count() == 1


def test_a_deactivated_service_disappears_from_the_portal_and_search(admin, service):
    assert search_services("pothole", language="en") == [service]

    deactivate_service(service=service, actor=admin)

    assert search_services("pothole", language="en") == []
    assert services_for_portal("en") == []


def test_a_department_admin_deactivates_their_departments_service(service):
    deactivate_service(service=service, actor=department_admin_of(service.department))

    service.refresh_from_db()
    assert service.is_active is False


def test_a_department_admin_of_another_department_is_denied(service):
    actor = department_admin_of(DepartmentFactory(code="parks"))

    with pytest.raises(PermissionDenied):
        deactivate_service(service=service, actor=actor)

    service.refresh_from_db()
    assert service.is_active is True
