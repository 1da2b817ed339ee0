"""remove_service_field: a question leaves a service's form."""

from __future__ import annotations

import pytest

from cityhall.catalog.models import ServiceField
from cityhall.catalog.services import remove_service_field
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    RoutingRuleFactory,
    ServiceFieldFactory,
    department_admin_of,
)
from cityhall.core.errors import Conflict, PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.fixture
def field(db):
    return ServiceFieldFactory(code="note", service__department=DepartmentFactory(code="roads"))


def test_a_department_admin_removes_a_field_and_it_is_audited(field):
    remove_service_field(field=field, actor=department_admin_of(field.service.department))

    assert not ServiceField.objects.exists()
    assert AuditEvent.objects.get(action="catalog.service_field_removed").data == {"field": "note"}


def test_a_department_admin_of_another_department_is_denied(field):
    with pytest.raises(PermissionDenied):
        remove_service_field(field=field, actor=department_admin_of(DepartmentFactory()))

    assert ServiceField.objects.exists()


def test_a_field_a_routing_rule_uses_cannot_be_removed(admin, field):
    RoutingRuleFactory(service=field.service, field_code="note", field_value="urgent")

    with pytest.raises(Conflict):
        remove_service_field(field=field, actor=admin)
