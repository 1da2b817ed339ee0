"""Portal pages to receive emergency alerts: by address or postal code without an account
(email or text message, confirmed by link, stopped by link), and a signed-in resident's home
and work addresses, all on one page."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.models import User
from cityhall.alerts import subscriptions
from cityhall.core.errors import CityHallError
from cityhall.core.ratelimit import address_identity, count_hit
from cityhall.places.models import Address
from cityhall.places.selectors import geocode

E164 = r"^\+[1-9][0-9]{7,14}$"


class SubscribeForm(forms.Form):
    address = forms.CharField(
        label=_("Street address"),
        required=False,
        max_length=200,
        help_text=_("For example: 123 Maple Street."),
    )
    postal_code = forms.CharField(
        label=_("Or postal code"),
        required=False,
        max_length=12,
        help_text=_("For example: H2X 1Y4."),
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    phone_number = forms.RegexField(
        label=_("Or mobile phone number, for text messages"),
        regex=E164,
        required=False,
        help_text=_("With the country code, for example: +15145550123."),
        error_messages={"invalid": _("Enter the number with its country code: +15145550123.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("address")) == bool(data.get("postal_code")):
            self.add_error("address", _("Give a street address or a postal code (one of them)."))
        if not self.errors and bool(data.get("email")) == bool(data.get("phone_number")):
            self.add_error(
                "email", _("Give an email address or a mobile phone number (one of them).")
            )
        return data


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which place is it?"),
        choices=[(kind.value, kind.label) for kind in subscriptions.ACCOUNT_KINDS],
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label=_("Street address"), max_length=200, help_text=_("For example: 123 Maple Street.")
    )


def _signed_in(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _address(text: str) -> Address | None:
    matches = geocode(text, limit=1)
    return matches[0].address if matches else None


def _point(form: SubscribeForm) -> subscriptions.Point | None:
    """The point the form names, or None with the error added to the form."""
    data = form.cleaned_data
    if data["postal_code"]:
        try:
            return subscriptions.postal_code_point(data["postal_code"])
        except CityHallError as error:
            form.add_error("postal_code", error.message)
            return None
    address = _address(data["address"])
    if address is None:
        form.add_error("address", _("We could not find this address in the city."))
        return None
    return subscriptions.address_point(address)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe without an account; signed in, also see and change one's alert places."""
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        point = _point(form)
        if point is not None:
            try:
                count_hit(bucket="alerts.subscriptions", identity=address_identity(request))
                subscriptions.subscribe_without_account(
                    point=point,
                    email=form.cleaned_data["email"],
                    phone_number=form.cleaned_data["phone_number"],
                    language=(get_language() or "en")[:2],
                )
            except CityHallError as error:
                form.add_error(None, error.message)
            else:
                return render(request, "alerts/subscriptions/check_inbox.html")
    user = _signed_in(request)
    context: dict[str, Any] = {"form": form}
    if user is not None:
        context.update(places=subscriptions.account_places(user), place_form=PlaceForm())
    return render(request, "alerts/subscriptions/subscribe.html", context)


@login_required
@require_POST
def add_place(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    assert user is not None
    form = PlaceForm(request.POST)
    if form.is_valid():
        address = _address(form.cleaned_data["address"])
        if address is None:
            form.add_error("address", _("We could not find this address in the city."))
        else:
            subscriptions.add_account_place(
                user=user, kind=form.cleaned_data["kind"], address=address
            )
            messages.success(request, _("You will be alerted about this place."))
            return redirect("alert_subscriptions:subscribe")
    context = {
        "form": SubscribeForm(),
        "places": subscriptions.account_places(user),
        "place_form": form,
    }
    return render(request, "alerts/subscriptions/subscribe.html", context, status=400)


@login_required
@require_POST
def remove_place(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _signed_in(request)
    assert user is not None
    subscriptions.remove_account_place(user=user, public_id=public_id)
    messages.success(request, _("You will no longer be alerted about this place."))
    return redirect("alert_subscriptions:subscribe")


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A page with one button: mail scanners that open links confirm nothing."""
    if request.method == "POST":
        subscriber = subscriptions.confirm_subscription(token)
        return render(request, "alerts/subscriptions/confirmed.html", {"subscriber": subscriber})
    return render(request, "alerts/subscriptions/confirm.html")


@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, public_id: uuid.UUID, token: str) -> HttpResponse:
    """Stop a subscription without account (a button, for the same reason as `confirm`)."""
    subscriber = subscriptions.subscription_to_stop(public_id, token)
    if request.method == "POST":
        subscriptions.stop_subscription(subscriber)
        return render(request, "alerts/subscriptions/stopped.html")
    return render(request, "alerts/subscriptions/stop.html", {"subscriber": subscriber})
