"""Back-office pages for city staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cityhall.backoffice.access import staff_actor
from cityhall.backoffice.dashboard import dashboard_for


def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff landing page: for each role held, the work waiting, with counts."""
    board = dashboard_for(staff_actor(request), now=timezone.now())
    context = {"sections": board.sections, "cards": board.cards, "staff_reads": board.staff_reads}
    return render(request, "backoffice/dashboard.html", context)
