"""Each /api/v1 route answers each kind of caller as the permission table says (deny by default)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cityhall.accounts.services import create_personal_access_token
from cityhall.accounts.tests.api_callers import CALLERS, client_for
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.appointments.selectors import slots_between
from cityhall.appointments.services import book_appointment
from cityhall.appointments.services_queue import take_ticket
from cityhall.appointments.slots import city_zone
from cityhall.appointments.tests.factories import bookable_place
from cityhall.appointments.waiting_list import join_waiting_list
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

PEOPLE = (
    "citizen_session",
    "citizen_token",
    "agent_session_without_2fa",
    "agent_session",
    "agent_token",
    "agent_token_without_2fa",
    "partner_member_token",
)
PARTNERS = ("partner_key", "partner_key_with_write_scope", "partner_member_token")
PARTNER_WRITERS = ("partner_key_with_write_scope", "partner_member_token")
STAFF = ("agent_session", "agent_token")


def expect(allowed: tuple[str, ...], ok: int, **special: int) -> dict[str, int]:
    """The status for each caller: `ok` for the allowed, 401 anonymous, 403 the others."""
    table = {caller: (ok if caller in allowed else 403) for caller in CALLERS}
    table["anonymous"] = ok if "anonymous" in allowed else 401
    table.update(special)
    return table


ROUTE_ARGUMENTS = (
    "code",
    "request",
    "token",
    "comments",
    "counter_service",
    "booking",
    "purpose",
    "waiting_entry",
    "ticket",
)
EVERYONE = CALLERS
AUTHENTICATED = tuple(caller for caller in CALLERS if caller != "anonymous")
POINT = {"latitude": 45.5, "longitude": -73.6}
NOT_MINE = {
    "agent_session_without_2fa": 404,
    "agent_session": 404,
    "agent_token": 404,
    "agent_token_without_2fa": 404,
    "partner_member_token": 404,
}

#: (method, route name) → (path arguments, body, expected status per caller)
TABLE: dict[tuple[str, str], tuple[str | None, Any, dict[str, int]]] = {
    ("GET", "accounts_api:me"): (None, None, expect(AUTHENTICATED, 200)),
    ("GET", "accounts_api:my_tokens"): (None, None, expect(PEOPLE, 200)),
    ("POST", "accounts_api:my_tokens"): (None, {"name": "Script"}, expect(PEOPLE, 201)),
    ("DELETE", "accounts_api:my_token"): ("token", None, expect(PEOPLE, 204, **NOT_MINE)),
    ("GET", "appointments_api:services"): (None, None, expect(EVERYONE, 200)),
    ("GET", "appointments_api:slots"): ("counter_service", "slots", expect(EVERYONE, 200)),
    ("GET", "appointments_api:my_bookings"): (None, None, expect(PEOPLE, 200)),
    ("POST", "appointments_api:my_bookings"): (None, "new_booking", expect(PEOPLE, 201)),
    ("DELETE", "appointments_api:my_booking"): (
        "booking",
        None,
        expect(("citizen_session", "citizen_token"), 204, **NOT_MINE),
    ),
    ("GET", "appointments_api:my_waiting_entries"): (None, None, expect(PEOPLE, 200)),
    ("POST", "appointments_api:my_waiting_entries"): (
        None,
        "new_waiting_entry",
        expect(PEOPLE, 201),
    ),
    ("DELETE", "appointments_api:my_waiting_entry"): (
        "waiting_entry",
        None,
        expect(("citizen_session", "citizen_token"), 204, **NOT_MINE),
    ),
    # The scenario's entry has no time offered: 409 is past the door.
    ("POST", "appointments_api:accept_waiting_offer"): (
        "waiting_entry",
        None,
        expect(("citizen_session", "citizen_token"), 409, **NOT_MINE),
    ),
    ("POST", "appointments_api:decline_waiting_offer"): (
        "waiting_entry",
        None,
        expect(("citizen_session", "citizen_token"), 409, **NOT_MINE),
    ),
    # Walk-in tickets: anyone may take one; its secret token is the key to read or cancel it.
    ("POST", "appointments_api:tickets"): (None, "new_ticket", expect(EVERYONE, 201)),
    ("GET", "appointments_api:ticket"): ("ticket", None, expect(EVERYONE, 200)),
    ("DELETE", "appointments_api:ticket"): ("ticket", None, expect(EVERYONE, 204)),
    ("GET", "catalog_api:topics"): (None, None, expect(EVERYONE, 200)),
    ("GET", "catalog_api:services"): (None, None, expect(EVERYONE, 200)),
    ("GET", "catalog_api:service"): ("code", None, expect(EVERYONE, 200)),
    ("GET", "places_api:geocode"): (None, {"q": "12 rue Principale"}, expect(AUTHENTICATED, 200)),
    ("GET", "places_api:reverse"): (None, POINT, expect(AUTHENTICATED, 200)),
    ("GET", "places_api:district"): (None, POINT, expect(AUTHENTICATED, 200)),
    ("GET", "privacy_api:my_consents"): (None, None, expect(PEOPLE, 200)),
    ("PUT", "privacy_api:my_consent"): ("purpose", "consent", expect(PEOPLE, 200)),
    ("GET", "servicerequests_api:my_requests"): (None, None, expect(PEOPLE, 200)),
    ("POST", "servicerequests_api:my_requests"): (
        None,
        {"service": "pothole", "description": "A deep hole in the road."},
        expect(PEOPLE, 201),
    ),
    ("GET", "servicerequests_api:my_request"): ("request", None, expect(PEOPLE, 200, **NOT_MINE)),
    ("POST", "servicerequests_api:reopen"): (
        "request",
        {"reason": "The hole is back."},
        expect(PEOPLE, 200, **NOT_MINE),
    ),
    ("POST", "servicerequests_api:follows"): ("tracking", None, expect(PEOPLE, 201)),
    ("DELETE", "servicerequests_api:follow"): ("comments", None, expect(PEOPLE, 204)),
    ("GET", "servicerequests_api:request_comments"): ("comments", None, expect(PEOPLE, 200)),
    ("POST", "servicerequests_api:request_comments"): (
        "comments",
        {"body": "Still broken."},
        expect(("citizen_session", "citizen_token"), 201),
    ),
    ("GET", "servicerequests_api:staff_queue"): (None, None, expect(STAFF, 200)),
    ("GET", "servicerequests_api:staff_request"): ("request", None, expect(STAFF, 200)),
    ("POST", "servicerequests_api:staff_status"): (
        "request",
        {"status": "closed", "public_note": "Fixed for good."},
        expect(STAFF, 200),
    ),
    ("POST", "servicerequests_api:staff_updates"): (
        "request",
        {"public_note": "The crew is on its way."},
        expect(STAFF, 201),
    ),
    ("PUT", "servicerequests_api:staff_assignee"): ("request", "agent", expect(STAFF, 200)),
    ("PUT", "servicerequests_api:staff_partner"): ("request", "partner", expect(STAFF, 200)),
    ("PUT", "servicerequests_api:staff_team"): ("request", {"team": None}, expect(STAFF, 200)),
    ("GET", "servicerequests_api:partner_queue"): (None, None, expect(PARTNERS, 200)),
    ("GET", "servicerequests_api:partner_request"): ("request", None, expect(PARTNERS, 200)),
    # The scenario's request is resolved, which a partner cannot move: 409 is past the door.
    ("POST", "servicerequests_api:partner_status"): (
        "request",
        {"status": "in_progress", "internal_note": "Crew booked."},
        expect(PARTNER_WRITERS, 409),
    ),
    ("POST", "servicerequests_api:partner_updates"): (
        "request",
        {"public_note": "The crew comes on Monday."},
        expect(PARTNER_WRITERS, 201),
    ),
    ("POST", "servicerequests_api:partner_notes"): (
        "request",
        {"internal_note": "Gas line nearby."},
        expect(PARTNER_WRITERS, 201),
    ),
    ("GET", "alerts_api:alerts"): (None, None, expect(EVERYONE, 200)),
    # Only a partner key carrying alerts:write may send CAP documents; no caller here has it.
    ("POST", "alerts_api:cap_input"): (None, None, expect((), 403)),
}


def _api_routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace or ""
            names |= _api_routes(pattern, prefix + str(pattern.pattern), inner.strip(":"))
        elif isinstance(pattern, URLPattern) and prefix.startswith("api/v1/"):
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_api_route_is_in_the_permission_table():
    assert _api_routes(get_resolver()) == {name for _method, name in TABLE}


def test_a_token_never_gets_more_than_the_session_without_two_factor_that_made_it():
    for route, (_arguments, _body, expected) in TABLE.items():
        assert expected["agent_token_without_2fa"] == expected["agent_session_without_2fa"], route


@pytest.fixture
def scenario(citizen, agent):
    organisation = PartnerOrganisationFactory(name="Hydro Rivière")
    service = ServiceFactory(code="pothole", department__code="public-works")
    service_request = ServiceRequestFactory(
        reporter=citizen,
        service=service,
        assigned_partner=organisation,
        status="resolved",
        resolved_at=timezone.now(),
    )
    token = create_personal_access_token(actor=None, owner=citizen, name="Kept").access_token
    place = bookable_place(code="api-passport")
    other_place = bookable_place(code="api-library-card")
    day = timezone.now().astimezone(city_zone()).date() + timedelta(days=2)
    slots = slots_between(service=place.service, facility=place.facility, first=day, last=day)[day]
    booking = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=slots[0].starts_at,
        citizen=citizen,
    )
    queue_place = bookable_place(code="api-walk-in", opens="00:00", closes="23:59:59.999999")
    ticket = take_ticket(
        facility=queue_place.facility, service=queue_place.service, channel="kiosk", actor=None
    )
    entry = join_waiting_list(
        service=place.service, facility=place.facility, first_day=day, last_day=day, citizen=citizen
    )
    return {
        "counter_service": {"code": place.service.code},
        "purpose": {"purpose_code": "analytics"},
        "booking": {"public_id": booking.public_id},
        "slots": {"facility": str(place.facility.public_id)},
        "new_booking": {
            "service": place.service.code,
            "facility": str(place.facility.public_id),
            "starts_at": slots[1].starts_at.isoformat(),
        },
        "waiting_entry": {"public_id": entry.public_id},
        "ticket": {"token": ticket.token},
        "new_ticket": {
            "facility": str(queue_place.facility.public_id),
            "service": queue_place.service.code,
        },
        "new_waiting_entry": {
            "service": other_place.service.code,
            "facility": str(other_place.facility.public_id),
            "first_day": day.isoformat(),
            "last_day": day.isoformat(),
        },
        "organisation": organisation,
        "code": {"code": service.code},
        "request": {"public_id": service_request.public_id},
        "token": {"public_id": token.public_id},
        "tracking": service_request.tracking_number,
        "comments": {"tracking_number": service_request.tracking_number},
        "agent": agent,
    }


def _call(client: APIClient, method: str, url: str, arguments: Any, body: Any, scenario):
    if arguments == "tracking":
        return client.post(url, {"tracking_number": scenario["tracking"]}, format="json")
    if body == "agent":
        body = {"assignee": str(scenario["agent"].public_id)}
    if body == "partner":
        body = {"partner": str(scenario["organisation"].public_id)}
    if body in ("slots", "new_booking", "new_waiting_entry", "new_ticket"):
        body = scenario[body]
    if body == "consent":
        body = {"given": True}
    if method == "GET":
        return client.get(url, body or {})
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "name"), sorted(TABLE))
def test_the_route_answers_the_caller_as_the_table_says(
    method, name, caller, scenario, citizen, agent
):
    arguments, body, expected = TABLE[(method, name)]
    kwargs = scenario[arguments] if arguments in ROUTE_ARGUMENTS else {}
    client = client_for(caller, citizen=citizen, agent=agent, organisation=scenario["organisation"])

    response = _call(client, method, reverse(name, kwargs=kwargs), arguments, body, scenario)

    assert response.status_code == expected[caller], response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["OPTIONS", "HEAD", "PATCH", "TRACE"])
@pytest.mark.parametrize("name", sorted({name for _method, name in TABLE}))
def test_other_methods_never_cause_a_server_error(name, method, scenario, citizen, agent):
    arguments = TABLE[next(key for key in TABLE if key[1] == name)][0]
    kwargs = scenario[arguments] if arguments in ROUTE_ARGUMENTS else {}
    client = client_for("agent_token", citizen=citizen, agent=agent, organisation=None)

    response = client.generic(method, reverse(name, kwargs=kwargs))

    assert response.status_code < 500
