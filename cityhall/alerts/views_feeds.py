"""The machine feeds, outside the language prefix: CAP documents, the Atom feed, JSON.

Every answer is cached while no published alert changes (`caching.cached_while_unchanged`),
so a rush of readers costs one cache read each.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cityhall.alerts.caching import cached_while_unchanged
from cityhall.alerts.cap import CAP_CONTENT_TYPE, cap_document
from cityhall.alerts.feeds import ATOM_CONTENT_TYPE, alert_json, atom_feed, current_json
from cityhall.alerts.models import Alert
from cityhall.alerts.selectors import current_alerts, published_alert
from cityhall.open311.caching import ENTRY_TIMEOUT


def _answer(body: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={ENTRY_TIMEOUT}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _next_expiry(alerts: list[Alert]) -> datetime | None:
    return min((alert.expires for alert in alerts), default=None)


@require_safe
def cap_view(request: HttpRequest, identifier: str) -> HttpResponse:
    """One message as CAP 1.2 XML, at its stable address."""

    def build() -> tuple[bytes, datetime | None]:
        return cap_document(published_alert(identifier)), None

    body = cached_while_unchanged(f"cap:{identifier}", build)
    return _answer(body, f"{CAP_CONTENT_TYPE}; charset=utf-8")


@require_safe
def json_view(request: HttpRequest, identifier: str) -> HttpResponse:
    """One message as JSON for apps."""

    def build() -> tuple[bytes, datetime | None]:
        return json.dumps(alert_json(published_alert(identifier))).encode(), None

    body = cached_while_unchanged(f"json:{identifier}", build)
    return _answer(body, "application/json")


@require_safe
def atom_view(request: HttpRequest) -> HttpResponse:
    """The Atom feed of current messages, each embedding its CAP document."""

    def build() -> tuple[bytes, datetime | None]:
        alerts = current_alerts()
        self_url = request.build_absolute_uri(request.path)
        return atom_feed(alerts, self_url=self_url), _next_expiry(alerts)

    body = cached_while_unchanged(f"atom:{request.get_host()}", build)
    return _answer(body, f"{ATOM_CONTENT_TYPE}; charset=utf-8")


@require_safe
def current_json_view(request: HttpRequest) -> HttpResponse:
    """The current messages as JSON for apps."""

    def build() -> tuple[bytes, datetime | None]:
        alerts = current_alerts()
        return json.dumps(current_json(alerts, now=timezone.now())).encode(), _next_expiry(alerts)

    body = cached_while_unchanged("current-json", build)
    return _answer(body, "application/json")
