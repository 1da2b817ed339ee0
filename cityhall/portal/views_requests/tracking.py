"""Finding a request's status page by its tracking number, with or without an account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cityhall.portal.page_cache import shared_with_anonymous_visitors
from cityhall.servicerequests.selectors import existing_tracking_number
from cityhall.servicerequests.services.numbering import format_tracking_number


class TrackForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Tracking number"),
        max_length=30,
        error_messages={"required": gettext_lazy("Enter the tracking number of the request.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        super().__init__(data)
        example = format_tracking_number(timezone.localdate().year, 123)
        self.fields["number"].help_text = _(
            "It is in the confirmation you received, for example %(example)s."
        ) % {"example": example}


def render_unknown_number(request: HttpRequest, number: str) -> HttpResponse:
    """The lookup page saying that no request has `number` (404), ready for another try."""
    form = TrackForm({"number": number})
    form.is_valid()
    form.add_error(
        "number",
        _("No request has the tracking number %(number)s. Check it and try again.")
        % {"number": number},
    )
    return render(request, "portal/requests/track.html", {"track_form": form}, status=404)


@shared_with_anonymous_visitors()
@require_GET
def track_request(request: HttpRequest) -> HttpResponse:
    """Ask for a tracking number; a known one leads to its public status page."""
    if "number" not in request.GET:
        return render(request, "portal/requests/track.html", {"track_form": TrackForm()})
    form = TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/requests/track.html", {"track_form": form})
    number = form.cleaned_data["number"]
    found = existing_tracking_number(tracking_number=number)
    if found is None:
        return render_unknown_number(request, number)
    return redirect("portal:request_status", tracking_number=found)
