"""GeoReport v2 service requests: post one, list them, read one, resolve a token.

GET output is built from Open311Request only, so it never holds the reporter, contact
details, device or account ids, description, answers, street address or our stored photos;
sensitive services' points are coarse.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from cityhall.core.db_routing import reads_may_lag
from cityhall.open311.caching import CATALOG, REQUESTS
from cityhall.open311.documents import Open311Error, render
from cityhall.open311.endpoint import cached, dated, open311_endpoint
from cityhall.open311.params import comma_list, optional_boolean, optional_datetime, optional_int
from cityhall.open311.selectors import (
    Open311Request,
    RequestFilters,
    get_public_service_request,
    platform_statuses,
    public_service_requests,
    tracking_number_for_token,
)
from cityhall.open311.submission import authenticate, submit

#: GeoReport v2: without start_date, requests from the last 90 days are returned.
DEFAULT_WINDOW = timedelta(days=90)
#: GeoReport v2: at most 1000 requests per response.
MAX_PAGE_SIZE = 1000
MAX_PAGE = 1_000_000
OPEN = "open"
CLOSED = "closed"


@csrf_exempt  # partners authenticate with api_key, not with a session cookie
@require_http_methods(["GET", "HEAD", "POST"])
@open311_endpoint
@cached(CATALOG, REQUESTS)
def service_requests(request: HttpRequest, *, response_format: str) -> HttpResponse:
    """POST requests files one request (api_key with open311:write); GET requests lists them.

    POST errors: 403 for a missing, wrong, revoked or out-of-scope key, 404 for an unknown
    service_code, 400 for any other wrong input; nothing is stored on error.
    """
    if request.method == "POST":
        return _post(request, response_format=response_format)
    return _list(request, response_format=response_format)


@reads_may_lag
def _list(request: HttpRequest, *, response_format: str) -> HttpResponse:
    filters, offset, limit = _list_parameters(request)
    extended = optional_boolean(request.GET, "extensions")
    page = public_service_requests(filters=filters, offset=offset, limit=limit, timeline=extended)
    document = [_request_element(record, extended=extended) for record in page.records]
    response = render(document, root="service_requests", response_format=response_format)
    return dated(response, page.last_modified)


def _post(request: HttpRequest, *, response_format: str) -> HttpResponse:
    api_key = authenticate(request.POST, request.GET)
    # An extension: GeoReport v2 has no retry key, and a client that times out posts again.
    idempotency_key = request.headers.get("Idempotency-Key", "")
    service_request = submit(
        request.POST,
        media=request.FILES.getlist("media"),
        api_key=api_key,
        idempotency_key=idempotency_key,
    )
    document = [
        {
            "service_request_id": service_request.tracking_number,
            "service_notice": None,
            # The client's own reference for the reporter, echoed to the client that sent it.
            "account_id": service_request.external_account_id or None,
            # An extension: the token a client may resolve later with GET tokens/{token}.
            "token": str(service_request.public_id),
        }
    ]
    return render(document, root="service_requests", response_format=response_format)


@require_safe
@open311_endpoint
@cached(CATALOG, REQUESTS)
def service_request(
    request: HttpRequest, *, response_format: str, service_request_id: str
) -> HttpResponse:
    """GET requests/{service_request_id}: one request, by tracking number (404 if unknown)."""
    extended = optional_boolean(request.GET, "extensions")
    page = get_public_service_request(service_request_id, timeline=extended)
    document = [_request_element(record, extended=extended) for record in page.records]
    response = render(document, root="service_requests", response_format=response_format)
    return dated(response, page.last_modified)


@require_safe
@open311_endpoint
def token(request: HttpRequest, *, response_format: str, token: str) -> HttpResponse:
    """GET tokens/{token}: the service_request_id of the POST that returned this token."""
    tracking_number = tracking_number_for_token(token)
    document = [{"service_request_id": tracking_number, "token": token}]
    return render(document, root="service_requests", response_format=response_format)


def _list_parameters(request: HttpRequest) -> tuple[RequestFilters, int, int]:
    params = request.GET
    start = optional_datetime(params, "start_date")
    end = optional_datetime(params, "end_date")
    if start is None:
        start = (end or timezone.now()) - DEFAULT_WINDOW
    if end is not None and end < start:
        raise Open311Error(400, _("end_date must not be before start_date."))
    filters = RequestFilters(
        tracking_numbers=comma_list(params, "service_request_id"),
        service_codes=comma_list(params, "service_code"),
        statuses=_statuses(comma_list(params, "status")),
        created_from=start,
        created_to=end,
        updated_from=optional_datetime(params, "updated_after"),
        updated_to=optional_datetime(params, "updated_before"),
    )
    page = optional_int(params, "page", default=1, maximum=MAX_PAGE)
    page_size = optional_int(params, "page_size", default=MAX_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    return filters, (page - 1) * page_size, page_size


def _statuses(values: list[str]) -> list[str]:
    if set(values) - {OPEN, CLOSED}:
        raise Open311Error(400, _("status must be open or closed."))
    return platform_statuses(open_=OPEN in values, closed=CLOSED in values)


#: GeoReport v2's "open" or "closed" for each platform status.
_SPEC_STATUSES = {
    **dict.fromkeys(platform_statuses(open_=True, closed=False), OPEN),
    **dict.fromkeys(platform_statuses(open_=False, closed=True), CLOSED),
}


def _request_element(record: Open311Request, *, extended: bool) -> dict[str, Any]:
    element: dict[str, Any] = {
        "service_request_id": record.tracking_number,
        "status": _SPEC_STATUSES[record.status],
        # The platform's finer status (in progress, on hold, duplicate…) and the last public note.
        "status_notes": (
            f"{record.status_label}: {record.last_note}"
            if record.last_note
            else record.status_label
        ),
        "service_name": record.service_name,
        "service_code": record.service_code,
        # The citizen's free text and street address may hold personal data, which public
        # outputs never carry (DESIGN.md, "Data that must never leak").
        "description": None,
        "agency_responsible": record.agency,
        "service_notice": None,
        "requested_datetime": record.requested_datetime,
        "updated_datetime": record.updated_datetime,
        "expected_datetime": record.expected_datetime,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": record.latitude,
        "long": record.longitude,
        # The client's own link only: photos stored here are personal data, never published.
        "media_url": record.media_url or None,
    }
    if extended:
        element["extended_attributes"] = {
            "platform_status": record.status,
            "assigned_agency": record.assigned_partner or record.agency,
            "status_history": [
                {
                    "status": _SPEC_STATUSES[step.status],
                    "platform_status": step.status,
                    "status_notes": step.note or None,
                    "updated_datetime": step.updated_datetime,
                }
                for step in record.steps
            ],
        }
    return element
