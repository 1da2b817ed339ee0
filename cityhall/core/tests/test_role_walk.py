"""Every staff page, staff and partner endpoint, partner page and Open311 read admits exactly
whom the tables say.

The walk takes each route from the URL resolver under /staff/, /api/v1/staff/, /api/v1/partner/,
the portal's /partner/ and /open311/v2/, fills its path with an object of one small world (every
object in the "public-works" department, assigned to one partner organisation), and calls it as
every kind of caller: anonymous, a citizen, each staff role (department roles held in
"public-works", city-wide ones city-wide), a partner member and manager, and a partner API key
per scope. GET and, for unsafe methods, POST/PUT with an empty body; each call is rolled back.

Getting past the door (2xx, a redirect elsewhere than sign-in, 400, 409) counts as allowed; 401,
403, 404 and a redirect to sign-in as refused; 405 says nothing. Whom a route should admit comes
from `accounts.permissions.PERMISSION_TABLE` for the capability the route names, from the key
scopes for partner routes, and is everyone for Open311 reads; a route naming nothing fails.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from cityhall.accounts.models import StaffRole
from cityhall.accounts.permissions import PERMISSION_TABLE, Capability
from cityhall.accounts.scopes import ApiScope
from cityhall.accounts.services import create_api_key
from cityhall.accounts.tests.api_callers import key_headers, session_client
from cityhall.accounts.tests.factories import (
    PartnerMembershipFactory,
    PartnerOrganisationFactory,
    StaffRoleFactory,
    UserFactory,
)
from cityhall.catalog.tests.factories import DepartmentFactory, ServiceFieldFactory
from cityhall.integrations.tests.factories import (
    WebhookDeliveryFactory,
    WebhookSubscriptionFactory,
)
from cityhall.notifications.tests.factories import TemplateFactory
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

Role = StaffRole.Role

#: Back-office pages anyone may open: signing in and out.
OPEN_PAGES = {
    "backoffice:sign_in",
    "backoffice:two_factor",
    "backoffice:two_factor_setup",
    "backoffice:sign_out",
}
#: Route prefixes the walk covers. The citizen's own API routes are walked by kind of credential
#: in accounts/tests/test_api_permissions_by_caller.py; Open311 is read here, its key-by-parameter
#: POST in open311/tests.
WALKED = ("en/staff/", "api/v1/staff/", "api/v1/partner/", "en/partner/", "open311/v2/")

#: Roles the world grants city-wide; the others are granted in "public-works".
CITY_WIDE = {Role.CITY_ADMIN, Role.PRIVACY_OFFICER, Role.COMMUNICATIONS_OFFICER}
STAFF_CALLERS = tuple(f"staff:{role}" for role in Role.values)
KEY_CALLERS = tuple(f"key:{scope}" for scope in ApiScope.values)
PARTNER_PEOPLE = ("partner_member", "partner_manager")
CALLERS = ("anonymous", "citizen", *STAFF_CALLERS, *PARTNER_PEOPLE, *KEY_CALLERS)


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    view: Any


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}"
            if route.startswith(WALKED) and name not in OPEN_PAGES:
                yield Route(name=name, route=route, view=pattern.callback)


ROUTES = sorted(_routes(get_resolver()), key=lambda route: route.name)


def _api_permissions(view: Any) -> list[Any]:
    return list(getattr(getattr(view, "cls", None), "permission_classes", []))


def admitted(route: Route) -> frozenset[str]:
    """The callers the tables let through `route`'s door."""
    if route.name.startswith("open311:"):
        # GeoReport v2 reads are public: everyone, whatever they hold.
        return frozenset(CALLERS)
    capability = getattr(route.view, "required_capability", None)
    for permission in _api_permissions(route.view):
        capability = getattr(permission, "required_capability", capability)
        scope = getattr(permission, "required_scope", "")
        if scope:
            return frozenset({*PARTNER_PEOPLE, f"key:{scope}"})
    if capability is not None:
        return frozenset(f"staff:{role}" for role in PERMISSION_TABLE[Capability(capability)])
    if route.route.startswith("en/partner/webhooks/"):
        # Webhooks are managed by the members an organisation made its managers.
        return frozenset({"partner_manager"})
    if route.route.startswith("en/partner/"):
        # The rest of the partner area is for every member (by session; keys are for the API).
        return frozenset(PARTNER_PEOPLE)
    raise AssertionError(f"{route.name} names no capability or scope")


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """One object of each kind a walked route names, all in "public-works" and for Hydro."""
    works = DepartmentFactory(code="public-works")
    hydro = PartnerOrganisationFactory(name="Hydro Rivière")
    callers: dict[str, Any] = {"citizen": UserFactory(), "anonymous": None}
    for role in Role.values:
        department = None if role in CITY_WIDE else works
        callers[f"staff:{role}"] = StaffRoleFactory(role=role, department=department).user
    callers["partner_member"] = PartnerMembershipFactory(organisation=hydro).user
    callers["partner_manager"] = PartnerMembershipFactory(organisation=hydro, is_manager=True).user
    service_request = ServiceRequestFactory(
        service__department=works, assigned_partner=hydro, status="in_progress"
    )
    field = ServiceFieldFactory(service=service_request.service)
    colleague_role = StaffRoleFactory(role=Role.AGENT, department=works)
    city_hook = WebhookSubscriptionFactory(department=works)
    partner_hook = WebhookSubscriptionFactory(partner=hydro)
    template = TemplateFactory(code="walk-template")
    key = create_api_key(actor=None, organisation=hydro, name="Walk", scopes=["requests:read"])
    team = service_request.department.teams.create(name_en="Crew A", name_fr="Équipe A")
    objects = {
        "backoffice:staff_detail": colleague_role.user,
        "backoffice:staff_totp_reset": colleague_role.user,
        "backoffice:staff_role_revoke": colleague_role,
        "backoffice:team_detail": team,
        "backoffice:partner_detail": hydro,
        "backoffice:api_key_create": hydro,
        "backoffice:partner_member_add": hydro,
        "backoffice:api_key_revoke": key.api_key,
        "backoffice:partner_member_remove": hydro.memberships.filter(is_manager=False).first(),
        "backoffice:webhook_detail": city_hook,
        "backoffice:webhook_disable": city_hook,
        "backoffice:webhook_delivery": WebhookDeliveryFactory(subscription=city_hook),
        "backoffice:webhook_redeliver": WebhookDeliveryFactory(subscription=city_hook),
        "backoffice:service_detail": service_request.service,
        "backoffice:service_deactivate": service_request.service,
        "backoffice:service_routing": service_request.service,
        "backoffice:service_field_create": service_request.service,
        "backoffice:service_field_detail": field,
        "backoffice:service_field_remove": field,
        "backoffice:notification_template_edit": template,
        "portal:partner_webhook": partner_hook,
        "portal:partner_webhook_rotate": partner_hook,
        "portal:partner_webhook_disable": partner_hook,
        "portal:partner_webhook_delivery": WebhookDeliveryFactory(subscription=partner_hook),
        "portal:partner_webhook_redeliver": WebhookDeliveryFactory(subscription=partner_hook),
    }
    return {
        "callers": callers,
        "hydro": hydro,
        "objects": objects,
        "request": service_request,
        "template": template,
    }


def _path(route: Route, world: dict[str, Any]) -> tuple[str, bool]:
    """The route's address filled from the world, and whether the object is a real one."""
    pattern = route.route
    if route.name.startswith("open311:"):
        return _open311_path(route, world)
    if "<str:language>" in pattern:
        kwargs = {"code": world["template"].code, "language": "fr"}
        return reverse(route.name, kwargs=kwargs), True
    # A second object in the address (a visit at a counter, say) is an unknown one: the door is
    # still tried, but a refusal of an unknown object proves nothing.
    others = {
        name: _PLACEHOLDERS[converter]
        for converter, name in re.findall(r"<(\w+):(\w+)>", pattern)
        if name != "public_id"
    }
    if "<uuid:public_id>" not in pattern:
        return reverse(route.name, kwargs=others or None), not others
    target = world["objects"].get(route.name)
    if target is None and "requests/" in pattern:
        target = world["request"]
    if target is None:
        return reverse(route.name, kwargs={"public_id": uuid.uuid4(), **others}), False
    return reverse(route.name, kwargs={"public_id": target.public_id, **others}), not others


_PLACEHOLDERS: dict[str, object] = {"uuid": uuid.UUID(int=1), "slug": "call", "str": "x", "int": 1}


def _open311_path(route: Route, world: dict[str, Any]) -> tuple[str, bool]:
    kwargs: dict[str, str] = {"fmt": "json"}
    if "service_code" in route.route:
        kwargs["service_code"] = world["request"].service.code
    if "service_request_id" in route.route:
        kwargs["service_request_id"] = world["request"].tracking_number
    if "<token>" in route.route:
        kwargs["token"] = "no-such-token"
    if route.name == "open311:root":
        kwargs = {}
    return reverse(route.name, kwargs=kwargs), "token" not in kwargs


def _client(caller: str, world: dict[str, Any]) -> APIClient:
    if caller == "anonymous":
        return APIClient()
    if caller.startswith("key:"):
        client = APIClient()
        scopes = [caller.removeprefix("key:")]
        client.credentials(HTTP_AUTHORIZATION=key_headers(world["hydro"], scopes)["Authorization"])
        return client
    user = world["callers"][caller]
    return session_client(user, two_factor_passed=caller.startswith("staff:"))


def _methods(route: Route) -> list[str]:
    if route.name.startswith("open311:"):
        return ["GET"]
    view_class = getattr(route.view, "cls", None)
    if view_class is not None:
        handlers = [m.upper() for m in ("get", "post", "put") if hasattr(view_class, m)]
        return handlers or ["GET"]
    return ["GET", "POST"]


def _door(response: Any) -> bool | None:
    """True past the door, False refused, None when the answer says nothing of the door (405
    from a view that checks the method before the caller)."""
    if response.status_code == 405:
        return None
    if response.status_code in (301, 302, 303):
        return "sign-in" not in response.headers.get("Location", "")
    return response.status_code < 300 or response.status_code in (400, 409)


def _call(client: APIClient, method: str, path: str) -> Any:
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        else:
            response = client.generic(method, path, data="{}", content_type="application/json")
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("caller", CALLERS)
def test_every_route_admits_the_caller_exactly_as_the_tables_say(caller, world):
    client = _client(caller, world)
    wrong = []

    for route in ROUTES:
        path, is_real = _path(route, world)
        should = caller in admitted(route)
        for method in _methods(route):
            passed = _door(_call(client, method, path))
            if passed is not None and passed != should and (not should or is_real):
                wrong.append(f"{method} {route.name}: {'let in' if passed else 'refused'}")

    assert wrong == []


def test_the_walk_covers_the_staff_pages_and_the_staff_and_partner_endpoints():
    names = {route.name for route in ROUTES}

    assert "backoffice:request_detail" in names
    assert "servicerequests_api:staff_request" in names
    assert "servicerequests_api:partner_request" in names
    assert "portal:partner_request" in names
    assert "open311:request" in names
