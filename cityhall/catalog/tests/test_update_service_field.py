"""update_service_field: a question's definition and answers change."""

from __future__ import annotations

import pytest

from cityhall.catalog.services import update_service_field
from cityhall.catalog.specs import ChoiceSpec, FieldSpec
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    RoutingRuleFactory,
    ServiceFieldChoiceFactory,
    ServiceFieldFactory,
    department_admin_of,
)
from cityhall.core.errors import Conflict, InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.fixture
def field(db):
    field = ServiceFieldFactory(
        code="bins", datatype="multivaluelist", service__department=DepartmentFactory(code="waste")
    )
    ServiceFieldChoiceFactory(field=field, key="garbage", name_en="Garbage")
    ServiceFieldChoiceFactory(field=field, key="glass", name_en="Glass")
    return field


def bins_spec(code="bins", choices=None):
    return FieldSpec(
        code=code, datatype="multivaluelist", label_en="Bins", label_fr="Bacs",
        choices=choices or (
            ChoiceSpec(key="recycling", name_en="Recycling", name_fr="Recyclage"),
            ChoiceSpec(key="garbage", name_en="Garbage (black)", name_fr="Ordures"),
        ),
    )  # fmt: skip


def test_answers_are_matched_by_key_added_renamed_removed_and_reordered(admin, field):
    garbage_id = field.choices.get(key="garbage").pk

    update_service_field(field=field, spec=bins_spec(), actor=admin)

    choices = list(field.choices.all())
    assert [(c.key, c.name_en) for c in choices] == [
        ("recycling", "Recycling"),
        ("garbage", "Garbage (black)"),
    ]
    assert choices[1].pk == garbage_id
    assert AuditEvent.objects.filter(action="catalog.service_field_updated").count() == 1


def test_a_department_admin_of_another_department_is_denied(field):
    actor = department_admin_of(DepartmentFactory(code="parks"))

    with pytest.raises(PermissionDenied):
        update_service_field(field=field, spec=bins_spec(), actor=actor)


def test_renaming_a_field_a_routing_rule_uses_is_a_conflict(admin, field):
    RoutingRuleFactory(service=field.service, field_code="bins", field_value="glass")

    with pytest.raises(Conflict):
        update_service_field(field=field, spec=bins_spec(code="containers"), actor=admin)


def test_turning_a_choice_field_into_a_number_needs_its_answers_gone(admin, field):
    spec = FieldSpec(code="bins", datatype="number", label_en="Bins", label_fr="Bacs",
                     choices=(ChoiceSpec(key="garbage", name_en="G", name_fr="O"),))  # fmt: skip

    with pytest.raises(InvalidInput) as caught:
        update_service_field(field=field, spec=spec, actor=admin)

    assert "choices" in caught.value.fields
    field.refresh_from_db()
    assert field.datatype == "multivaluelist"
