"""Managers' figures of the city's counters over a period: waits, no-shows and utilisation.

Per place, service, hour of the day and counter (appointments/figures.py); the period and the
place are chosen in a form sent by GET, so a view of the figures can be bookmarked and shared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.accounts.permissions import Capability
from cityhall.appointments.figures import MAX_PERIOD_DAYS, queue_figures
from cityhall.appointments.selectors import facilities_with_counters
from cityhall.appointments.slots import city_zone
from cityhall.backoffice.access import staff_member_required

#: The period shown when none is chosen: the last four weeks, today included.
DEFAULT_DAYS = 28


class FiguresForm(forms.Form):
    facility = forms.TypedChoiceField(
        label=gettext_lazy("Place"), required=False, coerce=str, empty_value=""
    )
    first = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, places: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {str(place.public_id): place for place in places}
        self.fields["facility"].choices = [  # type: ignore[attr-defined]
            ("", _("All places")),
            *((key, place.name) for key, place in self.places.items()),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and last < first:
            self.add_error("last", _("The last day comes before the first."))
        elif first and last and (last - first).days >= MAX_PERIOD_DAYS:
            self.add_error(
                "last",
                _("Choose a period of at most %(days)d days.") % {"days": MAX_PERIOD_DAYS},
            )
        return cleaned


@staff_member_required(capability=Capability.READ_QUEUE_FIGURES)
def queue_figures_page(request: HttpRequest) -> HttpResponse:
    """The figures of one place or all over a period (the last four weeks unless chosen)."""
    today = timezone.now().astimezone(city_zone()).date()
    initial = {"first": today - dt.timedelta(days=DEFAULT_DAYS - 1), "last": today}
    data = request.GET if "first" in request.GET else {k: v.isoformat() for k, v in initial.items()}
    form = FiguresForm(data, places=facilities_with_counters(days=1))
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        place = form.places.get(form.cleaned_data["facility"])
        context["place"] = place
        context["figures"] = queue_figures(
            first=form.cleaned_data["first"], last=form.cleaned_data["last"], facility=place
        )
    status = 200 if form.is_valid() else 400
    return render(request, "backoffice/queue_figures/figures.html", context, status=status)
