"""Reads of the catalog: the portal's services by topic, the search box, and request routing."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Max, QuerySet

from cityhall.accounts.models import User
from cityhall.catalog.models import (
    Department,
    RoutingRule,
    Service,
    ServiceField,
    Topic,
    language_code,
)
from cityhall.catalog.permissions import departments_managed_by
from cityhall.catalog.search_index import SearchDocument, SearchIndex, normalise
from cityhall.core.db_routing import reads_may_lag
from cityhall.core.errors import NotFound
from cityhall.places.models import District


@dataclass(frozen=True)
class TopicGroup:
    """A topic and its active services, sorted by name; `topic` is None for the unfiled ones."""

    topic: Topic | None
    services: list[Service]


def services_for_portal(language: str) -> list[TopicGroup]:
    """Every listed service grouped by topic, in topic order, names sorted in `language`.

    Services without a topic come last, in a group whose topic is None.
    """
    services = Service.objects.filter(is_active=True).select_related("topic")
    by_topic: dict[int | None, list[Service]] = {}
    for service in sorted(services, key=lambda s: normalise(s.name_in(language))):
        by_topic.setdefault(service.topic_id, []).append(service)
    topics = {service.topic_id: service.topic for services in by_topic.values()
              for service in services[:1]}  # fmt: skip
    ordered = sorted(by_topic, key=lambda tid: _topic_sort_key(topics[tid]))
    return [TopicGroup(topic=topics[tid], services=by_topic[tid]) for tid in ordered]


def _topic_sort_key(topic: Topic | None) -> tuple[int, int, str]:
    if topic is None:
        return (1, 0, "")
    return (0, topic.order, topic.slug)


def get_service_for_citizen(code: str) -> Service:
    """The listed service with this Open311 `service_code`; NotFound if none is listed."""
    service = Service.objects.filter(code=code, is_active=True).select_related("topic").first()
    if service is None:
        raise NotFound
    return service


def services_for_catalog_admin(*, actor: User) -> QuerySet[Service]:
    """The services `actor` may change (all of them for a city administrator), by name.

    Empty for anyone who administers no department.
    """
    return (
        Service.objects.filter(department__in=departments_managed_by(actor))
        .select_related("department", "topic")
        .order_by("name_en")
    )


def get_service_for_catalog_admin(*, actor: User, public_id: UUID) -> Service:
    """The service if `actor` may change it; NotFound otherwise, so existence does not leak."""
    service = services_for_catalog_admin(actor=actor).filter(public_id=public_id).first()
    if service is None:
        raise NotFound
    return service


def get_service_field_for_catalog_admin(*, actor: User, public_id: UUID) -> ServiceField:
    """The form field if `actor` may change its service; NotFound otherwise."""
    field = (
        ServiceField.objects.filter(
            public_id=public_id, service__department__in=departments_managed_by(actor)
        )
        .select_related("service__department")
        .prefetch_related("choices")
        .first()
    )
    if field is None:
        raise NotFound
    return field


@reads_may_lag
def search_services(query: str, *, language: str, limit: int = 10) -> list[Service]:
    """The listed services that best match a free-text query, best first.

    Understands English and French whatever `language` is (which only breaks ties), ignores
    accents, case, plurals and spacing, and forgives a typo or two per word. The index lives in
    this process and is rebuilt when any service has changed since it was built. Reads may
    come from the replica (a change shows there seconds later).
    """
    ids = _INDEX_CACHE.current().search(query, language=language_code(language), limit=limit)
    found = Service.objects.select_related("topic").in_bulk(ids)
    return [found[service_id] for service_id in ids if service_id in found]


def route_service_request_target(
    service: Service, *, district: District | None = None, answers: Mapping[str, Any] | None = None
) -> Department:
    """The department that should handle a request for `service` in `district` with `answers`.

    The service's routing rules are tried in order; a rule matches when its district (if any)
    is the request's and its field (if any) was answered with its value (one of the values,
    for a multiple choice). The service's own department handles what no rule matches.
    """
    rules = service.routing_rules.select_related("department").order_by("order")
    for rule in rules:
        if _rule_matches(rule, district, answers or {}):
            return rule.department
    return service.department


def _rule_matches(rule: RoutingRule, district: District | None, answers: Mapping[str, Any]) -> bool:
    if rule.district_id is not None and (district is None or district.pk != rule.district_id):
        return False
    if not rule.field_code:
        return True
    answer = answers.get(rule.field_code)
    if isinstance(answer, list | tuple):
        return rule.field_value in [str(value) for value in answer]
    return answer is not None and str(answer) == rule.field_value


def _catalog_version() -> tuple[Any, ...]:
    # Services are only changed through catalog.services, which save() and so move
    # updated_at; the count and the highest id catch deletions.
    state = Service.objects.aggregate(latest=Max("updated_at"), count=Count("id"), top=Max("id"))
    return (state["latest"], state["count"], state["top"])


def _search_documents() -> list[SearchDocument]:
    documents = []
    for service in Service.objects.filter(is_active=True).order_by("id"):
        for language in ("en", "fr"):
            documents.append(
                SearchDocument(
                    service_id=service.pk,
                    language=language,
                    name=service.name_in(language),
                    synonyms=list(getattr(service, f"synonyms_{language}")),
                    keywords=list(getattr(service, f"keywords_{language}")),
                    description=service.description_in(language),
                )
            )
    return documents


class _SearchIndexCache:
    """The process's search index, rebuilt when the catalog's version changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._index = SearchIndex()

    def current(self) -> SearchIndex:
        version = _catalog_version()
        with self._lock:
            if version != self._version:
                self._index = SearchIndex.build(_search_documents())
                self._version = version
            return self._index


_INDEX_CACHE = _SearchIndexCache()


def fields_for_request_form(service: Service) -> list[ServiceField]:
    """The service's questions in form order, with their choices loaded in one query."""
    return list(service.fields.prefetch_related("choices").order_by("order", "id"))
