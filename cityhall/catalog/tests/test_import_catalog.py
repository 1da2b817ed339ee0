"""import_catalog: a whole catalog loaded from a description, again and again."""

from __future__ import annotations

import io
import json

import pytest

from cityhall.catalog.models import Service, ServiceField, Topic
from cityhall.catalog.services import import_catalog
from cityhall.catalog.tests.factories import DepartmentFactory, department_admin_of
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.places.tests.factories import DistrictFactory


def description(**service_overrides):
    service = {
        "code": "pothole", "department": "roads", "topic": "roads",
        "name_en": "Pothole", "name_fr": "Nid-de-poule",
        "description_en": "A hole in the street.", "description_fr": "Un trou dans la rue.",
        "keywords_en": ["asphalt"], "keywords_fr": ["asphalte"], "districts": ["north"],
        "requires_location": True, "sla_hours": 48, "sla_calendar": "calendar",
        "fields": [
            {"code": "size", "datatype": "singlevaluelist", "required": True,
             "label_en": "Size", "label_fr": "Taille", "help_en": "Roughly", "help_fr": "Environ",
             "choices": [{"key": "small", "name_en": "Small", "name_fr": "Petit"},
                         {"key": "large", "name_en": "Large", "name_fr": "Grand"}]},
            {"code": "note", "datatype": "text", "label_en": "Note", "label_fr": "Note",
             "private": True},
        ],
        "routing": [{"field": "size", "value": "large", "department": "public-works"},
                    {"district": "north", "department": "public-works"}],
    }  # fmt: skip
    return {
        "topics": [{"slug": "roads", "name_en": "Roads", "name_fr": "Rues", "order": 1}],
        "services": [service | service_overrides],
    }


@pytest.fixture
def city(db):
    DepartmentFactory(code="roads")
    DepartmentFactory(code="public-works")
    DistrictFactory(code="north")


def test_a_description_creates_topics_services_fields_choices_and_rules(city):
    summary = import_catalog(source=description(), actor=None)

    assert (summary.topics, summary.services) == (1, 1)
    service = Service.objects.get(code="pothole")
    assert service.topic == Topic.objects.get(slug="roads")
    assert service.department.code == "roads"
    assert [d.code for d in service.districts.all()] == ["north"]
    assert (service.sla_hours, service.sla_calendar, service.requires_location) == (
        48,
        "calendar",
        True,
    )
    size, note = service.fields.all()
    assert (size.code, size.is_required, size.order, size.help_text_fr) == (
        "size",
        True,
        0,
        "Environ",
    )
    assert [c.key for c in size.choices.all()] == ["small", "large"]
    assert (note.datatype, note.is_private, note.order) == ("text", True, 1)
    rules = list(service.routing_rules.all())
    assert [(r.field_code, r.field_value, r.department.code) for r in rules] == [
        ("size", "large", "public-works"),
        ("", "", "public-works"),
    ]
    assert AuditEvent.objects.get(action="catalog.catalog_imported").data == {
        "topics": 1, "services": 1,
    }  # fmt: skip


def test_a_json_text_stream_is_accepted(city):
    import_catalog(source=io.StringIO(json.dumps(description())), actor=None)

    assert Service.objects.filter(code="pothole").exists()


def test_importing_again_updates_by_code_and_drops_what_is_no_longer_described(city):
    import_catalog(source=description(), actor=None)
    service_id = Service.objects.get().pk
    changed = description(name_en="Pothole or rut", routing=[], fields=[
        {"code": "size", "datatype": "singlevaluelist", "label_en": "Size", "label_fr": "Taille",
         "choices": [{"key": "large", "name_en": "Large", "name_fr": "Grand"}]},
    ])  # fmt: skip

    import_catalog(source=changed, actor=None)

    service = Service.objects.get()
    assert service.pk == service_id
    assert service.name_en == "Pothole or rut"
    assert [f.code for f in service.fields.all()] == ["size"]
    assert [c.key for c in ServiceField.objects.get().choices.all()] == ["large"]
    assert not service.routing_rules.exists()


def test_a_city_admin_may_import(city, admin):
    import_catalog(source=description(), actor=admin)

    assert AuditEvent.objects.get(action="catalog.catalog_imported").actor == admin


def test_a_department_admin_may_not_import(city):
    actor = department_admin_of(DepartmentFactory(code="roads"))

    with pytest.raises(PermissionDenied):
        import_catalog(source=description(), actor=actor)

    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "where"),
    [
        ({"department": "nowhere"}, "services.0.department"),
        ({"topic": "unknown"}, "services.0.topic"),
        ({"districts": ["south"]}, "services.0.districts"),
        ({"colour": "red"}, "services.0.colour"),
        ({"requires_photo": "yes"}, "services.0.requires_photo"),
        ({"sla_hours": True}, "services.0.sla_hours"),
        ({"sla_hours": 0}, "services.0.sla_hours"),
        ({"keywords_en": "asphalt"}, "services.0.keywords_en"),
        ({"name_fr": ""}, "services.0.name_fr"),
        ({"fields": {"code": "size"}}, "services.0.fields"),
        ({"fields": [{"code": "size", "datatype": "string", "label_en": "S", "label_fr": "T",
                      "choices": [{"key": "a", "name_en": "A", "name_fr": "A"}]}]},
         "services.0.fields.0.choices"),
        ({"routing": [{"department": "nowhere", "district": "north"}]}, "services.0.routing"),
        ({"routing": [{"department": "roads", "district": "south"}]}, "services.0.routing"),
        ({"routing": [{"department": "roads", "field": "size", "value": "huge"}]},
         "services.0.rules.0"),
    ],
)  # fmt: skip
def test_a_bad_description_names_the_place_and_writes_nothing(city, overrides, where):
    with pytest.raises(InvalidInput) as caught:
        import_catalog(source=description(**overrides), actor=None)

    assert where in caught.value.fields
    assert not Service.objects.exists()
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("source", "where"),
    [
        (io.StringIO("{not json"), "source"),
        ({"topics": [], "services": [], "departments": []}, "catalog.departments"),
        ({"topics": [{"slug": "roads", "name_en": "Roads"}]}, "topics.0.name_fr"),
        ({"services": "pothole"}, "services"),
        ({"services": ["pothole"]}, "services.0"),
    ],
)
def test_a_malformed_description_is_reported(db, source, where):
    with pytest.raises(InvalidInput) as caught:
        import_catalog(source=source, actor=None)

    assert list(caught.value.fields) == [where]
