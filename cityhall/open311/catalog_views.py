"""GeoReport v2 discovery, service list and service definitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cityhall.catalog.models import Service, ServiceField
from cityhall.core.db_routing import reads_may_lag
from cityhall.open311.caching import CATALOG
from cityhall.open311.documents import render
from cityhall.open311.endpoint import cached, dated, open311_endpoint
from cityhall.open311.selectors import get_service_for_open311, services_for_open311

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


@require_safe
@open311_endpoint
@cached(CATALOG)
def discovery(request: HttpRequest, *, response_format: str) -> HttpResponse:
    """GET discovery: where this endpoint is and which formats it speaks."""
    changed = _last_modified(services_for_open311())
    changeset = timezone.localtime(changed).strftime("%Y-%m-%d %H:%M") if changed else None
    document = {
        "changeset": changeset,
        "contact": _("Ask the city's service desk for help with this API."),
        "key_service": _("Ask the city for an API key with the open311:write scope to post."),
        # Descriptions are citizens' own words and may name people: the design keeps free text,
        # photos and contact details out of every public output, and says so here.
        "privacy": _(
            "Requests show their service, status, status notes, dates, agency and location "
            "(rounded to about 100 m for sensitive services). Descriptions, photos, answers, "
            "addresses, names and contact details may hold personal information and are never "
            "published: description is always empty."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri(reverse("open311:root")).rstrip("/"),
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(document, root="discovery", response_format=response_format)


@require_safe
@open311_endpoint
@cached(CATALOG)
@reads_may_lag
def service_list(request: HttpRequest, *, response_format: str) -> HttpResponse:
    """GET services: every service that takes requests, names in the chosen language."""
    services = services_for_open311()
    document = [_service_element(service) for service in services]
    response = render(document, root="services", response_format=response_format)
    return dated(response, _last_modified(services))


@require_safe
@open311_endpoint
@cached(CATALOG)
@reads_may_lag
def service_definition(
    request: HttpRequest, *, response_format: str, service_code: str
) -> HttpResponse:
    """GET services/{service_code}: the service's public attributes (404 if not listed)."""
    service = get_service_for_open311(service_code)
    document = {
        "service_code": service.code,
        "attributes": [_attribute_element(field) for field in service.fields.all()],
    }
    response = render(document, root="service_definition", response_format=response_format)
    return dated(response, _last_modified([service]))


def _service_element(service: Service) -> dict[str, Any]:
    language = get_language()
    keywords = service.keywords_fr if language == "fr" else service.keywords_en
    return {
        "service_code": service.code,
        "service_name": service.name_in(language),
        "description": service.description_in(language),
        # GeoReport v2: metadata is true when the service definition has attributes.
        "metadata": bool(service.fields.all()),
        "type": "realtime",
        "keywords": ", ".join(str(keyword) for keyword in keywords),
        "group": service.topic.name_in(language) if service.topic else None,
    }


def _attribute_element(field: ServiceField) -> dict[str, Any]:
    language = get_language()
    element: dict[str, Any] = {
        # variable=false would mean an informational text with no answer; every field asks one.
        "variable": True,
        "code": field.code,
        "datatype": field.datatype,
        "required": field.is_required,
        "datatype_description": field.help_text_in(language) or None,
        "order": field.order,
        "description": field.label_in(language),
    }
    if field.is_list:
        element["values"] = [
            {"key": choice.key, "name": choice.name_in(language)} for choice in field.choices.all()
        ]
    return element


def _last_modified(services: list[Service]) -> datetime | None:
    # Deleting a field or a service leaves no date behind; clients sending If-None-Match
    # (the body's digest) still see it at once.
    moments = [service.updated_at for service in services]
    for service in services:
        if service.topic is not None:
            moments.append(service.topic.updated_at)
        for field in service.fields.all():
            moments.append(field.updated_at)
            moments.extend(choice.updated_at for choice in field.choices.all())
    return max(moments, default=None)
