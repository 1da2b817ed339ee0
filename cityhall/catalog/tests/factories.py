"""Factories for the catalog."""

from __future__ import annotations

import factory

from cityhall.catalog.models import (
    Department,
    RoutingRule,
    Service,
    ServiceField,
    ServiceFieldChoice,
    Topic,
)


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
