"""Factories for the catalog."""

from __future__ import annotations

from typing import Any

import factory

from cityhall.accounts.models import StaffRole, User
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.catalog.models import (
    Department,
    RoutingRule,
    Service,
    ServiceField,
    ServiceFieldChoice,
    Topic,
)
from cityhall.catalog.specs import ServiceDetails


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"department-{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    name_fr = factory.Sequence(lambda n: f"Service {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")
    name_fr = factory.Sequence(lambda n: f"Thème {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service-{n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    name_fr = factory.Sequence(lambda n: f"Prestation {n}")
    description_en = "A service of the city."
    description_fr = "Un service de la ville."
    department = factory.SubFactory(DepartmentFactory)
    topic = factory.SubFactory(TopicFactory)


class ServiceFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceField

    service = factory.SubFactory(ServiceFactory)
    code = factory.Sequence(lambda n: f"field-{n}")
    order = factory.Sequence(lambda n: n)
    datatype = ServiceField.Datatype.STRING
    label_en = factory.Sequence(lambda n: f"Question {n}")
    label_fr = factory.Sequence(lambda n: f"Question {n} (fr)")


class ServiceFieldChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceFieldChoice

    field = factory.SubFactory(
        ServiceFieldFactory, datatype=ServiceField.Datatype.SINGLE_VALUE_LIST
    )
    key = factory.Sequence(lambda n: f"answer-{n}")
    name_en = factory.Sequence(lambda n: f"Answer {n}")
    name_fr = factory.Sequence(lambda n: f"Réponse {n}")
    order = factory.Sequence(lambda n: n)


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    service = factory.SubFactory(ServiceFactory)
    order = factory.Sequence(lambda n: n)
    department = factory.SubFactory(DepartmentFactory)


def department_admin_of(department: Department) -> User:
    """A staff member who administers `department` only."""
    staff_role = StaffRoleFactory(
        role=StaffRole.Role.DEPARTMENT_ADMIN, department=department, user__is_staff=True
    )
    user: User = staff_role.user
    return user


def minimal_details(**overrides: Any) -> ServiceDetails:
    """Service details with both names and descriptions; `overrides` replace any of them."""
    values: dict[str, Any] = {
        "name_en": "Pothole",
        "name_fr": "Nid-de-poule",
        "description_en": "A hole in the street.",
        "description_fr": "Un trou dans la rue.",
    }
    return ServiceDetails(**(values | overrides))
