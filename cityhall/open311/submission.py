"""Turning a GeoReport v2 POST into `submit_service_request`.

The caller is a partner holding an API key with the open311:write scope; the person behind
the report is anonymous to the platform and reachable only through the contact given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.files import File
from django.http import QueryDict
from django.utils.translation import gettext as _

from cityhall.accounts.errors import InvalidApiKey
from cityhall.accounts.models import ApiKey
from cityhall.accounts.scopes import ApiScope
from cityhall.accounts.services import authenticate_api_key
from cityhall.catalog.models import Service
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.open311.documents import Open311Error
from cityhall.open311.selectors import get_address_point, get_service_for_open311_submission
from cityhall.places.geometry import coordinates_problem
from cityhall.places.selectors import search_places
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import (
    ClientDetails,
    Contact,
    Location,
    submit_service_request,
)
from cityhall.servicerequests.services.filing_catalog import CATALOG_SECONDS
from cityhall.servicerequests.services.process_cache import ProcessCache

ATTRIBUTE = re.compile(r"^attribute\[(?P<code>[^\]]+)\](?P<many>\[\])?$")

#: Our intake's input names, as the GeoReport v2 parameters a client sent.
PARAMETER_NAMES = {
    "description": "description",
    "location": "lat/long",
    "address_text": "address_string",
    "contact_name": "first_name/last_name",
    "contact_email": "email",
    "contact_phone": "phone",
    "reporter": "email",
    "service": "service_code",
    "photos": "media",
}

# The key is never kept between requests: a key revoked (or a partner deactivated) in any
# process must stop filing at once, and checking it is one indexed query.
# A service withdrawn in another process stops taking POSTs within CATALOG_SECONDS.
_services: ProcessCache[str, Service] = ProcessCache(seconds=CATALOG_SECONDS, models=(Service,))


def authenticate(params: QueryDict, query: QueryDict) -> ApiKey:
    """The live key in `api_key` (body first, then query string) holding open311:write.

    Raises Open311Error 403 when it is missing, unknown, revoked or lacks the scope. The key
    is read afresh on every request, so a revocation anywhere applies to the next one.
    """
    raw = params.get("api_key") or query.get("api_key") or ""
    if not raw.strip():
        raise Open311Error(403, _("api_key is required to post a service request."))
    try:
        api_key = authenticate_api_key(raw_key=raw)
    except InvalidApiKey:
        raise Open311Error(403, _("Invalid api_key received.")) from None
    if ApiScope.OPEN311_WRITE not in api_key.scopes:
        raise Open311Error(403, _("This api_key may not post service requests."))
    return api_key


def submit(
    params: QueryDict,
    *,
    media: Sequence[File[Any]] = (),
    api_key: ApiKey,
    idempotency_key: str = "",
) -> ServiceRequest:
    """File the request described by the POST `params` and `media` files.

    Raises Open311Error on bad input; nothing is stored unless the whole request is valid
    (the media file included: its size, type and pixel count; the worker strips its metadata
    before anyone sees it). A retry carrying the same `idempotency_key` under the same API key
    returns the first request instead of a second.
    """
    service = _service(params.get("service_code", "").strip())
    location, address_text = _location(params)
    name = " ".join(
        part for part in (params.get("first_name", ""), params.get("last_name", "")) if part
    )
    contact = Contact(
        name=name.strip(), email=params.get("email", ""), phone=params.get("phone", "")
    )
    try:
        return submit_service_request(
            reporter=None,
            service=service,
            description=params.get("description", ""),
            answers=_answers(params),
            location=location,
            address_text=address_text,
            contact=contact,
            channel=ServiceRequest.Channel.OPEN311,
            photos=media,
            client=ClientDetails(
                device_id=params.get("device_id", ""),
                account_id=params.get("account_id", ""),
                media_url=params.get("media_url", ""),
            ),
            idempotency_key=idempotency_key,
            # Scopes idempotency keys to one partner key, so partners cannot collide.
            client_token=f"open311:{api_key.prefix}",
        )
    except InvalidInput as error:
        raise Open311Error(400, *_descriptions(error)) from None


def _service(code: str) -> Service:
    if not code:
        raise Open311Error(400, _("service_code is required."))
    try:
        return _services.get(code, partial(get_service_for_open311_submission, code))
    except NotFound:
        # GeoReport v2, POST Service Request errors: "404 - service_code provided was not found".
        raise Open311Error(404, _("Unknown service_code %(code)s.") % {"code": code}) from None


def _location(params: QueryDict) -> tuple[Location | None, str]:
    """The point and address text; GeoReport v2 needs lat/long, address_string or address_id."""
    address_string = params.get("address_string", "").strip()
    if params.get("lat", "").strip() or params.get("long", "").strip():
        return _point(params.get("lat", ""), params.get("long", "")), address_string
    address_id = params.get("address_id", "").strip()
    if address_id:
        try:
            point = get_address_point(address_id)
        except NotFound:
            raise Open311Error(400, _("Unknown address_id %(id)s.") % {"id": address_id}) from None
        return Location(point.latitude, point.longitude), address_string or point.text
    if address_string:
        # An address missing from the register is placed between its known neighbours, as
        # the portal offers; a whole street's middle is no place to send a crew, so a text
        # that names only a street (or nothing known) is kept for staff without a point.
        place = next(
            (match for match in search_places(address_string) if not match.is_whole_street), None
        )
        if place is None:
            return None, address_string
        return Location(place.latitude, place.longitude), address_string
    raise Open311Error(400, _("Give lat and long, address_string or address_id."))


def _point(raw_latitude: str, raw_longitude: str) -> Location:
    try:
        latitude, longitude = float(raw_latitude), float(raw_longitude)
    except ValueError:
        raise Open311Error(400, _("lat and long must both be decimal degrees.")) from None
    problem = coordinates_problem(latitude, longitude)
    if problem or not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise Open311Error(400, problem or _("lat and long must both be decimal degrees."))
    return Location(latitude, longitude)


def _answers(params: QueryDict) -> dict[str, str | list[str]]:
    """attribute[CODE]=v, and attribute[CODE][]=v repeated for a multivaluelist."""
    answers: dict[str, str | list[str]] = {}
    for name in params:
        match = ATTRIBUTE.match(name)
        if match is None:
            continue
        values = params.getlist(name)
        # A repeated attribute[CODE] is a multivaluelist answer too.
        many = bool(match.group("many")) or len(values) > 1
        answers[match.group("code")] = values if many else (values or [""])[0]
    return answers


def _descriptions(error: InvalidInput) -> list[str]:
    descriptions: list[str] = []
    for name, messages in sorted(error.fields.items()):
        if name.startswith("answers."):
            parameter = f"attribute[{name.removeprefix('answers.')}]"
        else:
            parameter = PARAMETER_NAMES.get(name, name)
        descriptions.extend(f"{parameter}: {message}" for message in messages)
    return descriptions or [error.message]
