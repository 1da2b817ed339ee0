"""The back office's doors to services: only the ones the administrator may change."""

from __future__ import annotations

import pytest

from cityhall.catalog.selectors import (
    get_service_field_for_catalog_admin,
    get_service_for_catalog_admin,
    services_for_catalog_admin,
)
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    ServiceFactory,
    ServiceFieldFactory,
    department_admin_of,
)
from cityhall.core.errors import NotFound


@pytest.fixture
def services(db):
    roads, parks = DepartmentFactory(code="roads"), DepartmentFactory(code="parks")
    return {
        "pothole": ServiceFactory(code="pothole", name_en="Pothole", department=roads),
        "playground": ServiceFactory(code="playground", name_en="Playground", department=parks),
    }


def test_a_city_admin_gets_every_service(admin, services):
    assert [s.code for s in services_for_catalog_admin(actor=admin)] == ["playground", "pothole"]


def test_a_department_admin_gets_their_departments_services_only(services):
    actor = department_admin_of(services["pothole"].department)

    assert [s.code for s in services_for_catalog_admin(actor=actor)] == ["pothole"]
    assert get_service_for_catalog_admin(actor=actor, public_id=services["pothole"].public_id)
    with pytest.raises(NotFound):
        get_service_for_catalog_admin(actor=actor, public_id=services["playground"].public_id)


def test_a_field_of_another_departments_service_is_not_found(services):
    actor = department_admin_of(services["pothole"].department)
    own = ServiceFieldFactory(service=services["pothole"])
    other = ServiceFieldFactory(service=services["playground"])

    assert get_service_field_for_catalog_admin(actor=actor, public_id=own.public_id) == own
    with pytest.raises(NotFound):
        get_service_field_for_catalog_admin(actor=actor, public_id=other.public_id)


@pytest.mark.parametrize("persona", ["agent", "supervisor", "citizen"])
def test_anyone_without_an_admin_role_gets_nothing(request, services, persona):
    actor = request.getfixturevalue(persona)

    assert list(services_for_catalog_admin(actor=actor)) == []
    with pytest.raises(NotFound):
        get_service_for_catalog_admin(actor=actor, public_id=services["pothole"].public_id)
