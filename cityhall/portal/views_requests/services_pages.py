"""The services page: one search box, and every service by topic."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from cityhall.catalog.selectors import search_services, services_for_portal
from cityhall.open311.caching import CATALOG
from cityhall.portal.forms_requests import ServiceSearchForm
from cityhall.portal.page_cache import shared_with_anonymous_visitors

#: How many search results are shown.
SEARCH_LIMIT = 20


@shared_with_anonymous_visitors(CATALOG)
@require_GET
def services(request: HttpRequest) -> HttpResponse:
    """Search the catalog (GET ?q=) in the active language, or browse it by topic."""
    language = get_language() or "en"
    form = ServiceSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "results": search_services(query, language=language, limit=SEARCH_LIMIT) if query else [],
        "groups": services_for_portal(language),
    }
    return render(request, "portal/services/services.html", context)
