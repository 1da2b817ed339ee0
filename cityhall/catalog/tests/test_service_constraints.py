"""The catalog's invariants hold in the database, whatever code writes the rows."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from cityhall.catalog.models import Service
from cityhall.catalog.tests.factories import (
    RoutingRuleFactory,
    ServiceFactory,
    ServiceFieldChoiceFactory,
    ServiceFieldFactory,
)


def test_service_codes_are_unique(db):
    ServiceFactory(code="pothole")

    with pytest.raises(IntegrityError):
        Service.objects.create(
            code="pothole", name_en="x", name_fr="x", department=ServiceFactory().department
        )


def test_a_service_target_time_is_positive(db):
    service = ServiceFactory()
    service.sla_hours = 0

    with pytest.raises(IntegrityError):
        service.save()


def test_a_service_field_code_is_unique_within_its_service(db):
    field = ServiceFieldFactory(code="size")

    with pytest.raises(IntegrityError):
        ServiceFieldFactory(service=field.service, code="size")


def test_a_field_type_is_one_of_the_open311_types(db):
    with pytest.raises(IntegrityError):
        ServiceFieldFactory(datatype="colour")


def test_a_choice_key_is_unique_within_its_field(db):
    choice = ServiceFieldChoiceFactory(key="small")

    with pytest.raises(IntegrityError):
        ServiceFieldChoiceFactory(field=choice.field, key="small")


def test_a_routing_rule_names_a_field_and_its_value_together(db):
    with pytest.raises(IntegrityError):
        RoutingRuleFactory(field_code="size", field_value="")
