"""Citizen portal pages. Views are thin: they call domain services and selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page."""
    return render(request, "portal/home.html")
