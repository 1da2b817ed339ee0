"""services_for_portal: the catalog as citizens browse it, by topic."""

from __future__ import annotations

from cityhall.catalog.selectors import services_for_portal
from cityhall.catalog.tests.factories import ServiceFactory, TopicFactory


def _layout(groups):
    return [(g.topic.slug if g.topic else None, [s.code for s in g.services]) for g in groups]


def test_services_are_grouped_by_topic_in_topic_order_and_named_order(db):
    snow = TopicFactory(slug="snow", order=2)
    roads = TopicFactory(slug="roads", order=1)
    ServiceFactory(code="snow-removal", topic=snow, name_en="Snow removal", name_fr="Déneigement")
    ServiceFactory(code="icy", topic=snow, name_en="Icy sidewalk", name_fr="Trottoir glacé")
    ServiceFactory(code="pothole", topic=roads, name_en="Pothole", name_fr="Nid-de-poule")
    ServiceFactory(code="general", topic=None, name_en="General question", name_fr="Question")

    assert _layout(services_for_portal("en")) == [
        ("roads", ["pothole"]),
        ("snow", ["icy", "snow-removal"]),
        (None, ["general"]),
    ]
    assert _layout(services_for_portal("fr-ca"))[1] == ("snow", ["snow-removal", "icy"])


def test_inactive_services_and_empty_topics_are_left_out(db):
    TopicFactory(slug="empty")
    ServiceFactory(code="old", is_active=False)

    assert services_for_portal("en") == []


def test_the_portal_list_costs_one_query(db, django_assert_num_queries):
    for number in range(5):
        ServiceFactory(topic=TopicFactory(slug=f"topic-{number % 2}"))

    with django_assert_num_queries(1):
        groups = services_for_portal("en")
        names = [(str(g.topic), [s.name for s in g.services]) for g in groups]

    assert len(names) == 2
