"""Back-office pages for city staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff landing page."""
    return render(request, "backoffice/dashboard.html")
