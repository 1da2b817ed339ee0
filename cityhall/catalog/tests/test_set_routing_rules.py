"""set_routing_rules: where a service's requests go, by district or by an answer."""

from __future__ import annotations

import pytest

from cityhall.catalog.services import set_routing_rules
from cityhall.catalog.specs import RuleSpec
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    RoutingRuleFactory,
    ServiceFactory,
    ServiceFieldChoiceFactory,
    ServiceFieldFactory,
    department_admin_of,
)
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.places.tests.factories import DistrictFactory


@pytest.fixture
def service(db):
    service = ServiceFactory(code="fallen-tree", department=DepartmentFactory(code="parks"))
    blocking = ServiceFieldFactory(service=service, code="blocking", datatype="multivaluelist")
    ServiceFieldChoiceFactory(field=blocking, key="road")
    ServiceFieldFactory(service=service, code="note", datatype="string")
    return service


def test_rules_replace_the_previous_ones_in_the_given_order(admin, service):
    RoutingRuleFactory(service=service, field_code="note", field_value="old")
    roads, north = DepartmentFactory(code="roads"), DistrictFactory(code="north")
    rules = [
        RuleSpec(department=roads, field_code="blocking", field_value="road"),
        RuleSpec(department=roads, district=north),
        RuleSpec(department=roads, district=north, field_code="note", field_value="urgent"),
    ]

    set_routing_rules(service=service, rules=rules, actor=admin)

    written = list(service.routing_rules.order_by("order"))
    assert [(r.order, r.field_code, r.district_id) for r in written] == [
        (0, "blocking", None),
        (1, "", north.pk),
        (2, "note", north.pk),
    ]
    assert AuditEvent.objects.get(action="catalog.routing_rules_set").data == {"rules": 3}


def test_an_empty_list_removes_every_rule(admin, service):
    RoutingRuleFactory(service=service, field_code="note", field_value="old")

    set_routing_rules(service=service, rules=[], actor=admin)

    assert not service.routing_rules.exists()


def test_a_department_admin_of_another_department_is_denied(service):
    actor = department_admin_of(DepartmentFactory(code="roads"))

    with pytest.raises(PermissionDenied):
        set_routing_rules(service=service, rules=[], actor=actor)


@pytest.mark.parametrize(
    ("field_code", "field_value"),
    [("", ""), ("colour", "red"), ("note", ""), ("blocking", "river")],
)
def test_a_bad_rule_is_reported_with_its_position(admin, service, field_code, field_value):
    roads = DepartmentFactory(code="roads")
    rules = [
        RuleSpec(department=roads, district=DistrictFactory()),
        RuleSpec(department=roads, field_code=field_code, field_value=field_value),
    ]

    with pytest.raises(InvalidInput) as caught:
        set_routing_rules(service=service, rules=rules, actor=admin)

    assert list(caught.value.fields) == ["rules.1"]
    assert not service.routing_rules.exists()
