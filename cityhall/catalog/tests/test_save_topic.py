"""save_topic: city administrators name the catalog's headings."""

from __future__ import annotations

import pytest

from cityhall.catalog.models import Topic
from cityhall.catalog.services import save_topic
from cityhall.catalog.tests.factories import DepartmentFactory, department_admin_of
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent


def test_a_city_admin_creates_then_renames_a_topic(admin):
    save_topic(slug="snow", name_en="Snow", name_fr="Neige", order=2, actor=admin)

    topic = save_topic(slug="snow", name_en="Snow and ice", name_fr="Neige et glace", actor=admin)

    assert Topic.objects.count() == 1
    assert (topic.name_en, topic.name_fr, topic.order) == ("Snow and ice", "Neige et glace", 0)
    assert AuditEvent.objects.filter(action="catalog.topic_saved").count() == 2


def test_a_department_admin_may_not_change_topics(db):
    actor = department_admin_of(DepartmentFactory())

    with pytest.raises(PermissionDenied):
        save_topic(slug="snow", name_en="Snow", name_fr="Neige", actor=actor)


def test_a_topic_needs_a_slug_and_both_names(admin):
    with pytest.raises(InvalidInput) as caught:
        save_topic(slug="snow and ice", name_en="Snow", name_fr="", actor=admin)

    assert set(caught.value.fields) == {"slug", "name_fr"}
