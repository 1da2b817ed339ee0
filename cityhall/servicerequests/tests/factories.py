"""Factories for service requests. Requests default to the "public-works" department."""

from __future__ import annotations

import factory

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import Follower, ServiceRequest, StatusChange


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    tracking_number = factory.Sequence(lambda n: f"TST-26-{n:06d}")
    service = factory.SubFactory(ServiceFactory, department__code="public-works")
    department = factory.SelfAttribute("service.department")
    description = "A deep pothole in front of the school."
    channel = ServiceRequest.Channel.PORTAL


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    service_request = factory.SubFactory(ServiceRequestFactory)
    to_status = ServiceRequest.Status.SUBMITTED


class FollowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follower

    service_request = factory.SubFactory(ServiceRequestFactory)
    user = factory.SubFactory("cityhall.accounts.tests.factories.UserFactory")
