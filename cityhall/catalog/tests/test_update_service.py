"""update_service: administrators change a service's details or move it."""

from __future__ import annotations

import pytest

from cityhall.catalog.services import update_service
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    ServiceFactory,
    department_admin_of,
    minimal_details,
)
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.places.tests.factories import DistrictFactory


@pytest.fixture
def service(db):
    return ServiceFactory(code="pothole", department=DepartmentFactory(code="roads"))


def test_a_city_admin_replaces_the_details_and_is_audited(admin, service):
    district = DistrictFactory()
    details = minimal_details(name_en="Pothole or rut", districts=(district,), sla_hours=24)

    update_service(service=service, department=service.department, details=details, actor=admin)

    service.refresh_from_db()
    assert service.name_en == "Pothole or rut"
    assert service.sla_hours == 24
    assert list(service.districts.all()) == [district]
    assert AuditEvent.objects.filter(action="catalog.service_updated").count() == 1


def test_a_department_admin_updates_their_departments_service(service):
    actor = department_admin_of(service.department)

    update_service(service=service, department=service.department,
                   details=minimal_details(name_en="Road hole"), actor=actor)  # fmt: skip

    service.refresh_from_db()
    assert service.name_en == "Road hole"


def test_a_department_admin_of_another_department_is_denied(service):
    actor = department_admin_of(DepartmentFactory(code="parks"))

    with pytest.raises(PermissionDenied):
        update_service(service=service, department=service.department,
                       details=minimal_details(), actor=actor)  # fmt: skip


def test_moving_a_service_needs_both_departments(service):
    parks = DepartmentFactory(code="parks")
    actor = department_admin_of(service.department)

    with pytest.raises(PermissionDenied):
        update_service(service=service, department=parks, details=minimal_details(), actor=actor)

    service.refresh_from_db()
    assert service.department.code == "roads"


def test_a_city_admin_moves_a_service_to_another_department(admin, service):
    parks = DepartmentFactory(code="parks")

    update_service(service=service, department=parks, details=minimal_details(), actor=admin)

    service.refresh_from_db()
    assert service.department == parks


def test_bad_details_leave_the_service_unchanged(admin, service):
    with pytest.raises(InvalidInput) as caught:
        update_service(service=service, department=service.department,
                       details=minimal_details(name_en="", sla_hours=0), actor=admin)  # fmt: skip

    assert "sla_hours" in caught.value.fields
    service.refresh_from_db()
    assert service.name_en != ""
