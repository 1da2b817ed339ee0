"""add_service_field: an extra question, with its answers, on a service's form."""

from __future__ import annotations

from typing import Any

import pytest

from cityhall.catalog.models import ServiceField
from cityhall.catalog.services import add_service_field
from cityhall.catalog.specs import ChoiceSpec, FieldSpec
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    ServiceFactory,
    ServiceFieldFactory,
    department_admin_of,
)
from cityhall.core.errors import Conflict, InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent

SIZES = (
    ChoiceSpec(key="small", name_en="Small", name_fr="Petit"),
    ChoiceSpec(key="large", name_en="Large", name_fr="Grand"),
)


def size_field(**overrides):
    values: dict[str, Any] = {"code": "size", "datatype": "singlevaluelist", "label_en": "Size",
              "label_fr": "Taille", "is_required": True, "choices": SIZES}  # fmt: skip
    return FieldSpec(**(values | overrides))


@pytest.fixture
def service(db):
    return ServiceFactory(code="pothole", department=DepartmentFactory(code="roads"))


def test_a_city_admin_adds_a_choice_field_with_its_answers(admin, service):
    field = add_service_field(service=service, spec=size_field(help_text_fr="Environ"),
                              actor=admin)  # fmt: skip

    field.refresh_from_db()
    assert field.datatype == ServiceField.Datatype.SINGLE_VALUE_LIST
    assert field.is_required
    assert field.help_text_fr == "Environ"
    assert [(c.key, c.name_fr, c.order) for c in field.choices.all()] == [
        ("small", "Petit", 0),
        ("large", "Grand", 1),
    ]
    assert AuditEvent.objects.filter(action="catalog.service_field_added").count() == 1


def test_a_department_admin_adds_fields_to_their_departments_services(service):
    actor = department_admin_of(service.department)

    add_service_field(service=service, spec=size_field(), actor=actor)

    assert service.fields.count() == 1


def test_a_department_admin_of_another_department_is_denied(service):
    actor = department_admin_of(DepartmentFactory(code="parks"))

    with pytest.raises(PermissionDenied):
        add_service_field(service=service, spec=size_field(), actor=actor)

    assert service.fields.count() == 0


def test_a_second_field_with_the_same_code_is_a_conflict(admin, service):
    ServiceFieldFactory(service=service, code="size")

    with pytest.raises(Conflict):
        add_service_field(service=service, spec=size_field(), actor=admin)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"choices": ()}, "choices"),
        ({"datatype": "string"}, "choices"),
        ({"choices": (SIZES[0], SIZES[0])}, "choices"),
        ({"datatype": "colour", "choices": ()}, "datatype"),
        ({"code": "the size", "datatype": "number", "choices": ()}, "code"),
        ({"label_fr": ""}, "label_fr"),
        ({"choices": (ChoiceSpec(key="small", name_en="Small", name_fr=""),)}, "choices.0.name_fr"),
        ({"choices": (ChoiceSpec(key="very small", name_en="S", name_fr="P"),)}, "choices.0.key"),
    ],
)
def test_a_bad_field_is_reported_and_not_added(admin, service, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        add_service_field(service=service, spec=size_field(**overrides), actor=admin)

    assert field in caught.value.fields
    assert service.fields.count() == 0
