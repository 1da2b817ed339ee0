"""create_service: administrators add services to their department's catalog."""

from __future__ import annotations

import pytest

from cityhall.catalog.models import Service
from cityhall.catalog.services import create_service
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    TopicFactory,
    department_admin_of,
    minimal_details,
)
from cityhall.core.errors import Conflict, InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.places.tests.factories import DistrictFactory


@pytest.fixture
def roads(db):
    return DepartmentFactory(code="roads")


def test_a_city_admin_creates_a_service_with_its_details(admin, roads):
    topic = TopicFactory(slug="roads-sidewalks")
    district = DistrictFactory(code="centre")
    details = minimal_details(
        topic=topic,
        districts=(district,),
        keywords_en=(" asphalt ", "asphalt", "road"),
        requires_location=True,
        sla_hours=48,
        sla_calendar=Service.SlaCalendar.CALENDAR,
    )

    service = create_service(code="pothole", department=roads, details=details, actor=admin)

    service.refresh_from_db()
    assert service.name_fr == "Nid-de-poule"
    assert service.topic == topic
    assert list(service.districts.all()) == [district]
    assert service.keywords_en == ["asphalt", "road"]
    assert service.requires_location is True
    assert (service.sla_hours, service.sla_calendar) == (48, "calendar")
    assert service.is_active
    assert service.accepts_requests


def test_creating_a_service_is_audited(admin, roads):
    service = create_service(
        code="pothole", department=roads, details=minimal_details(), actor=admin
    )

    event = AuditEvent.objects.get(action="catalog.service_created")
    assert event.actor == admin
    assert event.target_id == str(service.public_id)


def test_a_department_admin_creates_services_in_their_department(roads):
    actor = department_admin_of(roads)

    service = create_service(code="pothole", department=roads, details=minimal_details(),
                             actor=actor)  # fmt: skip

    assert service.department == roads


def test_a_department_admin_of_another_department_is_denied(roads):
    actor = department_admin_of(DepartmentFactory(code="parks"))

    with pytest.raises(PermissionDenied):
        create_service(code="pothole", department=roads, details=minimal_details(), actor=actor)

    assert not Service.objects.exists()


@pytest.mark.parametrize("persona", ["agent", "supervisor", "citizen"])
def test_staff_without_an_admin_role_and_citizens_are_denied(request, roads, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        create_service(code="pothole", department=roads, details=minimal_details(), actor=actor)


def test_a_deactivated_city_admin_is_denied(admin, roads):
    admin.is_active = False
    admin.save()

    with pytest.raises(PermissionDenied):
        create_service(code="pothole", department=roads, details=minimal_details(), actor=admin)


def test_a_taken_code_is_a_conflict(admin, roads):
    create_service(code="pothole", department=roads, details=minimal_details(), actor=admin)

    with pytest.raises(Conflict):
        create_service(code="pothole", department=roads, details=minimal_details(), actor=admin)


@pytest.mark.parametrize(
    ("code", "overrides", "field"),
    [
        ("pot hole", {}, "code"),
        ("pothole", {"name_fr": ""}, "name_fr"),
        ("pothole", {"name_en": "x" * 201}, "name_en"),
        ("pothole", {"sla_hours": 0}, "sla_hours"),
        ("pothole", {"sla_hours": -4}, "sla_hours"),
        ("pothole", {"sla_calendar": "lunar"}, "sla_calendar"),
        ("pothole", {"keywords_fr": ("",)}, "keywords_fr"),
        ("pothole", {"synonyms_en": ("x" * 101,)}, "synonyms_en"),
        ("pothole", {"keywords_en": tuple(f"k{n}" for n in range(51))}, "keywords_en"),
    ],
)
def test_bad_details_are_reported_by_field(admin, roads, code, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        create_service(
            code=code, department=roads, details=minimal_details(**overrides), actor=admin
        )

    assert field in caught.value.fields
    assert not Service.objects.exists()
