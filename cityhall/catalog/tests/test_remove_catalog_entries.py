"""Undoing an import: remove_catalog_entries deletes exactly the named services and topics."""

from __future__ import annotations

import pytest

from cityhall.catalog.models import Service, ServiceField, Topic
from cityhall.catalog.services import import_catalog, remove_catalog_entries
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.core.models import AuditEvent

CATALOG = {
    "topics": [
        {"slug": "roads", "name_en": "Roads", "name_fr": "Rues", "order": 1},
        {"slug": "parks", "name_en": "Parks", "name_fr": "Parcs", "order": 2},
    ],
    "services": [
        {
            "code": code,
            "topic": topic,
            "department": "public-works",
            "name_en": name_en,
            "name_fr": name_fr,
            "description_en": f"Report a {name_en.lower()}.",
            "description_fr": f"Signalez : {name_fr.lower()}.",
            "sla_hours": 48,
            "fields": [
                {"code": "detail", "datatype": "string", "label_en": "Detail", "label_fr": "Détail"}
            ],
        }
        for code, topic, name_en, name_fr in [
            ("pothole", "roads", "Pothole", "Nid-de-poule"),
            ("fallen-tree", "parks", "Fallen tree", "Arbre tombé"),
        ]
    ],
}


@pytest.fixture
def imported(db):
    DepartmentFactory(code="public-works")
    import_catalog(source=CATALOG, actor=None)


def test_named_services_go_with_their_fields_and_unused_topics(imported):
    removed = remove_catalog_entries(
        service_codes=["pothole"], topic_slugs=["roads", "parks"], actor=None
    )

    assert removed == 1
    assert list(Service.objects.values_list("code", flat=True)) == ["fallen-tree"]
    assert ServiceField.objects.filter(service__code="pothole").count() == 0
    assert list(Topic.objects.values_list("slug", flat=True)) == ["parks"]  # still in use
    assert AuditEvent.objects.filter(action="catalog.entries_removed").count() == 1


def test_unknown_codes_remove_nothing(imported):
    removed = remove_catalog_entries(service_codes=["no-such-service"], topic_slugs=[], actor=None)

    assert removed == 0
    assert Service.objects.count() == 2
