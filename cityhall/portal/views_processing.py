"""The public records of processing: what the city does with personal data, why, and how long."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityhall.portal.page_cache import shared_with_anonymous_visitors
from cityhall.privacy.records_of_processing import records_of_processing


@shared_with_anonymous_visitors()
def processing_register(request: HttpRequest) -> HttpResponse:
    """Each purpose with its legal basis, the data serving it, recipients and retention."""
    return render(request, "portal/privacy_processing.html", {"register": records_of_processing()})
