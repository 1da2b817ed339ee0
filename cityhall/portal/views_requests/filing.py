"""Filing a request: the service's form, photos, the place by address or map, then submission.

The page works without JavaScript: the place is an address (with a choice when several
match); the map, "use my position" and the address search only fill the same hidden
latitude and longitude. When the form comes back with a mistake, every typed value is kept,
and so are the photos that passed their checks (`servicerequests.pending_photos`), so they
need not be chosen again. A likely duplicate nearby is offered to follow before filing.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import uuid4

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityhall.accounts.client_address import client_ip_address
from cityhall.accounts.models import User
from cityhall.catalog.answers import photo_problem
from cityhall.catalog.models import Service
from cityhall.catalog.selectors import fields_for_request_form, get_service_for_citizen
from cityhall.core.errors import InvalidInput
from cityhall.places.selectors import PlaceMatch, search_places
from cityhall.portal.forms_requests import (
    SHARE_WITH_PARTNER,
    ServiceRequestForm,
    show_intake_error,
)
from cityhall.portal.views_requests.location import LocationContext, location_context
from cityhall.privacy.consents import has_consent
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import PARTNER_SHARING
from cityhall.privacy.services.consents import give_consent
from cityhall.servicerequests.duplicates import likely_duplicate
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.pending_photos import (
    PendingPhoto,
    discard_pending_photos,
    keep_valid_photos,
    open_pending_photos,
    pending_photos_from_token,
    pending_photos_token,
)
from cityhall.servicerequests.selectors import likely_duplicates
from cityhall.servicerequests.services import Contact, Location, submit_service_request
from cityhall.servicerequests.services.intake import location_problem

logger = logging.getLogger(__name__)

#: How many addresses the citizen may choose among when the text matches several.
MAX_ADDRESS_MATCHES = 5
CLIENT_SESSION_KEY = "portal.request_client_token"
#: The hidden field carrying the signed list of photos kept from an earlier try.
KEPT_PHOTOS_FIELD = "kept_photos"
#: Kept photos the citizen ticked to leave out (their storage names, from the signed token).
REMOVE_KEPT_FIELD = "remove_kept_photo"
#: Sent once the citizen has seen the likely duplicate and files their own request anyway.
CONFIRM_NEW_FIELD = "confirm_new"
#: The map's point and a match closer than this (degrees, about 1 m) are the same place.
SAME_POINT_DEGREES = 0.00001


def _draft_key(service: Service) -> str:
    return f"portal.request_draft.{service.code}"


def _new_form(request: HttpRequest, service: Service, **options: Any) -> ServiceRequestForm:
    return ServiceRequestForm(
        service=service,
        service_fields=fields_for_request_form(service),
        language=get_language() or "en",
        ask_contact=not request.user.is_authenticated,
        offer_partner_sharing=request.user.is_authenticated
        and not has_consent(request.user, PARTNER_SHARING.code),
        **options,
    )


def _render(  # noqa: PLR0913 (the form and everything the page shows around it)
    request: HttpRequest,
    service: Service,
    form: ServiceRequestForm,
    *,
    choosing: bool = False,
    kept: list[PendingPhoto] | None = None,
    duplicate: ServiceRequest | None = None,
) -> HttpResponse:
    location: LocationContext = location_context(form)
    context = {
        "service": service,
        "form": form,
        "choosing_address": choosing,
        "kept_photos": kept or [],
        # Only a page with kept photos needs the session: a first visit must not create one.
        "kept_photos_token": (
            pending_photos_token(kept, owner=_client_token(request)) if kept else ""
        ),
        "duplicate": duplicate,
        "location": location,
        "partner_sharing": PARTNER_SHARING,
        "shares_with_partner": request.user.is_authenticated
        and form.partner_sharing_field() is None,
    }
    response = render(request, "portal/requests/file_request.html", context)
    if location.content_security_policy:
        response.headers["Content-Security-Policy"] = location.content_security_policy
    return response


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
        data = _querydict(draft)
        kept = pending_photos_from_token(
            data.get(KEPT_PHOTOS_FIELD, ""), owner=_client_token(request)
        )
        return _render(request, service, _new_form(request, service, data=data), kept=kept)
    return _render(
        request, service, _new_form(request, service, initial={"idempotency_key": uuid4().hex})
    )


def _querydict(draft: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in draft.items():
        data.setlist(name, values)
    return data


def _matches_for(data: QueryDict) -> list[PlaceMatch]:
    address = data.get("address", "").strip()
    return search_places(address, limit=MAX_ADDRESS_MATCHES) if address else []


def _post(request: HttpRequest, service: Service) -> HttpResponse:
    owner = _client_token(request)
    kept = _still_wanted(
        request, pending_photos_from_token(request.POST.get(KEPT_PHOTOS_FIELD, ""), owner=owner)
    )
    uploads = request.FILES.getlist("photos")
    matches = _matches_for(request.POST)
    several = matches if len(matches) > 1 else None
    form = _new_form(
        request, service, data=request.POST, files=request.FILES, address_matches=several
    )
    form.is_valid()
    # The catalog's photo rule, checked here too so that it is named with the other mistakes.
    missing_photo = photo_problem(service=service, photo_count=len(uploads) + len(kept))
    if missing_photo:
        form.add_error("photos", missing_photo)
    # The place is checked even beside other mistakes, so that all are shown in one round.
    place = _place(form, matches) if "address" in form.cleaned_data else None
    if form.errors and "address" not in form.errors and place is not _CHOOSE:
        _show_location_problem(form, service, place)
    # The choice stays on the page once offered, unless the map already showed the place.
    choosing = place is _CHOOSE or bool(several and form.cleaned_data.get("address_choice"))
    if place is _CHOOSE or form.errors:
        kept = _keep(request, form, uploads, kept, show_problems=True)
        return _render(request, service, form, choosing=choosing, kept=kept)
    location, address_text = place if isinstance(place, tuple) else (None, "")
    duplicate = _likely_duplicate(request, service, form, location)
    if duplicate is not None:
        kept = _keep(request, form, uploads, kept, show_problems=True)
        return _render(request, service, form, kept=kept, duplicate=duplicate)
    try:
        service_request = _submit(
            request, service, form, (location, address_text), [*open_pending_photos(kept), *uploads]
        )
    except InvalidInput as error:
        show_intake_error(form, error)
        # The intake already named the refused photos; keep the others for the next try.
        kept = _keep(request, form, uploads, kept, show_problems=False)
        return _render(request, service, form, choosing=choosing, kept=kept)
    except Exception:
        # Whatever failed, the citizen's text must survive: it is kept in the session
        # and offered again on the next visit. A 5xx answer would not save the session.
        logger.exception("Filing a request for %s failed", service.code)
        kept = _keep(request, form, uploads, kept, show_problems=False)
        draft = dict(request.POST.lists())
        draft[KEPT_PHOTOS_FIELD] = [pending_photos_token(kept, owner=owner)]
        request.session[_draft_key(service)] = draft
        messages.error(
            request,
            _(
                "Your request could not be saved just now. Everything you typed is kept "
                "here: try again in a few minutes."
            ),
        )
        return _render(request, service, form, choosing=choosing, kept=kept)
    if form.cleaned_data.get(SHARE_WITH_PARTNER) and isinstance(request.user, User):
        give_consent(
            actor=request.user,
            user=request.user,
            purpose_code=PARTNER_SHARING.code,
            language=get_language() or "en",
            source=ConsentRecord.Source.PORTAL,
        )
    discard_pending_photos(kept)
    request.session.pop(_draft_key(service), None)
    messages.success(request, _("Your request is filed. Keep its tracking number."))
    return redirect("portal:request_status", tracking_number=service_request.tracking_number)


def _show_location_problem(form: ServiceRequestForm, service: Service, place: object) -> None:
    """The intake's location rule, named with the other mistakes when the intake is not reached."""
    location = place[0] if isinstance(place, tuple) else None
    problem = location_problem(service, location)
    if problem:
        form.add_error("address", problem)


def _still_wanted(request: HttpRequest, kept: list[PendingPhoto]) -> list[PendingPhoto]:
    """The kept photos minus those ticked to leave out, which are deleted."""
    removed = set(request.POST.getlist(REMOVE_KEPT_FIELD))
    discard_pending_photos([photo for photo in kept if photo.storage_name in removed])
    return [photo for photo in kept if photo.storage_name not in removed]


def _keep(
    request: HttpRequest,
    form: ServiceRequestForm,
    uploads: list[Any],
    kept: list[PendingPhoto],
    *,
    show_problems: bool,
) -> list[PendingPhoto]:
    """Keep the valid new uploads with the earlier ones; name the refused ones at the field."""
    outcome = keep_valid_photos(
        uploads,
        already_kept=kept,
        owner=_client_token(request),
        address=client_ip_address(request),
    )
    if show_problems:
        for problem in outcome.problems:
            form.add_error("photos", problem)
    return outcome.photos


def _likely_duplicate(
    request: HttpRequest, service: Service, form: ServiceRequestForm, location: Location | None
) -> ServiceRequest | None:
    """An open request that is likely the same problem, unless the citizen already saw it.

    Sensitive services are never compared in public: their requests must not be revealed.
    """
    if location is None or service.is_sensitive or request.POST.get(CONFIRM_NEW_FIELD):
        return None
    scored = likely_duplicates(
        service=service,
        latitude=location.latitude,
        longitude=location.longitude,
        description=form.cleaned_data["description"],
        at=timezone.now(),
    )
    return likely_duplicate(scored)


#: `_place` found several addresses and the citizen has not chosen one yet.
_CHOOSE = object()


def _place(form: ServiceRequestForm, matches: list[PlaceMatch]) -> object:
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
                "No address, street or place in the city matches this. Give the civic number "
                'and the street, such as "123 rue des Érables", or the name of a place such as '
                "a library or a park."
            ),
        )
        return None
    match = matches[0]
    if len(matches) > 1:
        chosen = form.cleaned_data.get("address_choice")
        found = [m for m in matches if str(m.public_id) == chosen] or _shown_on_map(form, matches)
        if not found:
            form.add_error(
                "address_choice",
                _("Several places match what you typed. Choose yours, then send the request."),
            )
            return _CHOOSE
        match = found[0]
    return Location(latitude=match.latitude, longitude=match.longitude), match.label


def _shown_on_map(form: ServiceRequestForm, matches: list[PlaceMatch]) -> list[PlaceMatch]:
    """The match the map already showed for this text ("show this address on the map" fills
    the hidden point with it), so that the citizen is not asked to choose it again."""
    latitude, longitude = form.cleaned_data.get("latitude"), form.cleaned_data.get("longitude")
    if latitude is None or longitude is None:
        return []
    return [
        m
        for m in matches
        if abs(m.latitude - latitude) < SAME_POINT_DEGREES
        and abs(m.longitude - longitude) < SAME_POINT_DEGREES
    ]


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
    place: tuple[Location | None, str],
    photos: list[Any],
) -> ServiceRequest:
    user = request.user if isinstance(request.user, User) else None
    data = form.cleaned_data
    location, address_text = place
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
        photos=photos,
    )
