"""Filing a request: the service's form, the place by address or position, then submission."""

from __future__ import annotations

import logging
from typing import Any
from uuid import uuid4

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityhall.accounts.models import User
from cityhall.catalog.models import Service
from cityhall.catalog.selectors import fields_for_request_form, get_service_for_citizen
from cityhall.core.errors import InvalidInput
from cityhall.places.selectors import GeocodeMatch, geocode
from cityhall.portal.forms_requests import ServiceRequestForm, show_intake_error
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import Contact, Location, submit_service_request

logger = logging.getLogger(__name__)

#: How many addresses the citizen may choose among when the text matches several.
MAX_ADDRESS_MATCHES = 5
CLIENT_SESSION_KEY = "portal.request_client_token"


def _draft_key(service: Service) -> str:
    return f"portal.request_draft.{service.code}"


def _new_form(request: HttpRequest, service: Service, **options: Any) -> ServiceRequestForm:
    return ServiceRequestForm(
        service=service,
        service_fields=fields_for_request_form(service),
        language=get_language() or "en",
        ask_contact=not request.user.is_authenticated,
        **options,
    )


def _render(
    request: HttpRequest, service: Service, form: ServiceRequestForm, *, choosing: bool = False
) -> HttpResponse:
    context = {"service": service, "form": form, "choosing_address": choosing}
    return render(request, "portal/requests/file_request.html", context)


@require_http_methods(["GET", "POST"])
def file_request(request: HttpRequest, code: str) -> HttpResponse:
    """Show the service's request form; a valid POST files the request and shows its status."""
    service = get_service_for_citizen(code)
    if not service.accepts_requests:
        return render(request, "portal/requests/not_accepting.html", {"service": service})
    if not request.user.is_authenticated and not service.allows_anonymous:
        return render(request, "portal/requests/sign_in_needed.html", {"service": service})
    if request.method == "POST":
        return _post(request, service)
    draft = request.session.get(_draft_key(service))
    if draft:
        return _render(request, service, _new_form(request, service, data=_querydict(draft)))
    return _render(
        request, service, _new_form(request, service, initial={"idempotency_key": uuid4().hex})
    )


def _querydict(draft: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in draft.items():
        data.setlist(name, values)
    return data


def _matches_for(data: QueryDict) -> list[GeocodeMatch]:
    address = data.get("address", "").strip()
    return geocode(address, limit=MAX_ADDRESS_MATCHES) if address else []


def _post(request: HttpRequest, service: Service) -> HttpResponse:
    matches = _matches_for(request.POST)
    several = matches if len(matches) > 1 else None
    form = _new_form(request, service, data=request.POST, address_matches=several)
    form.is_valid()
    # The place is checked even beside other mistakes, so that all are shown in one round.
    place = _place(form, matches) if "address" in form.cleaned_data else None
    if place is _CHOOSE or form.errors:
        return _render(request, service, form, choosing=several is not None)
    location, address_text = place if isinstance(place, tuple) else (None, "")
    try:
        service_request = _submit(request, service, form, location, address_text)
    except InvalidInput as error:
        show_intake_error(form, error)
        return _render(request, service, form, choosing=several is not None)
    except Exception:
        # Whatever failed, the citizen's text must survive: it is kept in the session
        # and offered again on the next visit. A 5xx answer would not save the session.
        logger.exception("Filing a request for %s failed", service.code)
        request.session[_draft_key(service)] = dict(request.POST.lists())
        messages.error(
            request,
            _(
                "Your request could not be saved just now. Everything you typed is kept "
                "here: try again in a few minutes."
            ),
        )
        return _render(request, service, form, choosing=several is not None)
    request.session.pop(_draft_key(service), None)
    messages.success(request, _("Your request is filed. Keep its tracking number."))
    return redirect("portal:request_status", tracking_number=service_request.tracking_number)


#: `_place` found several addresses and the citizen has not chosen one yet.
_CHOOSE = object()


def _place(form: ServiceRequestForm, matches: list[GeocodeMatch]) -> object:
    """(Location, address text), None for no place, _CHOOSE, or None with an address error."""
    address = form.cleaned_data["address"].strip()
    if not address:
        latitude, longitude = form.cleaned_data.get("latitude"), form.cleaned_data.get("longitude")
        if latitude is None or longitude is None:
            return None
        return Location(latitude=latitude, longitude=longitude), ""
    if not matches:
        form.add_error(
            "address",
            _(
                "No address in the city matches this. Give the civic number and the street, "
                'such as "123 rue des Érables".'
            ),
        )
        return None
    match = matches[0]
    if len(matches) > 1:
        chosen = form.cleaned_data.get("address_choice")
        found = [m for m in matches if str(m.address.public_id) == chosen]
        if not found:
            return _CHOOSE
        match = found[0]
    return Location(latitude=match.latitude, longitude=match.longitude), match.address.label


def _client_token(request: HttpRequest) -> str:
    token = request.session.get(CLIENT_SESSION_KEY)
    if not token:
        token = uuid4().hex
        request.session[CLIENT_SESSION_KEY] = token
    return str(token)


def _submit(
    request: HttpRequest,
    service: Service,
    form: ServiceRequestForm,
    location: Location | None,
    address_text: str,
) -> ServiceRequest:
    user = request.user if isinstance(request.user, User) else None
    data = form.cleaned_data
    return submit_service_request(
        reporter=user,
        service=service,
        description=data["description"],
        answers=form.answers(),
        location=location,
        address_text=address_text,
        contact=Contact(
            name=data.get("contact_name", ""),
            email=data.get("contact_email", ""),
            phone=data.get("contact_phone", ""),
        ),
        channel=ServiceRequest.Channel.PORTAL,
        idempotency_key=data["idempotency_key"],
        client_token="" if user is not None else _client_token(request),
    )
