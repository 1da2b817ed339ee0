"""The satisfaction survey: the reporter rates a settled request once, from 1 to 5."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.models import User
from cityhall.core.errors import CityHallError, NotFound
from cityhall.servicerequests.selectors import (
    get_satisfaction_rating,
    get_service_request_for_reporter,
)
from cityhall.servicerequests.services import can_rate, rate_service_request
from cityhall.servicerequests.services.satisfaction import COMMENT_MAX_LENGTH

SCORES = [
    (5, gettext_lazy("5: very satisfied")),
    (4, gettext_lazy("4: satisfied")),
    (3, gettext_lazy("3: neither satisfied nor dissatisfied")),
    (2, gettext_lazy("2: dissatisfied")),
    (1, gettext_lazy("1: very dissatisfied")),
]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with how your request was handled?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a rating from 1 to 5."),
            "invalid_choice": gettext_lazy("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What went well, or what could be better? Staff read every one."),
        error_messages={"max_length": gettext_lazy("Keep the comment under 2,000 characters.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate_request(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The reporter's survey page; anyone else gets 404."""
    user = request.user
    assert isinstance(user, User)  # login_required
    try:
        service_request = get_service_request_for_reporter(
            tracking_number=tracking_number, user=user
        )
    except NotFound as error:
        raise Http404 from error
    context: dict[str, Any] = {
        "service_request": service_request,
        "rating": get_satisfaction_rating(service_request=service_request),
        "can_rate": can_rate(service_request, user),
    }
    form = RatingForm(request.POST if request.method == "POST" else None)
    if context["can_rate"] and form.is_valid():
        try:
            rate_service_request(
                service_request=service_request,
                actor=user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Thank you: your rating is saved."))
            return redirect(
                "portal:request_status", tracking_number=service_request.tracking_number
            )
    context["form"] = form
    return render(request, "portal/requests/rate.html", context)
