"""schemathesis drives every /api/v1 operation from /api/schema/: no 5xx, no off-schema answer.

The app runs in process (WSGI), inside the test's database transaction, as four callers:
anonymous, a citizen and an agent (personal access tokens) and a partner key. Each example is
either valid for the schema or deliberately not (schemathesis' negative mode: wrong types,
out-of-range numbers, missing fields), and every answer to the latter must still be a 4xx in
the error contract. The schema must describe every /api/v1 route. Generation is derandomized
and bounded so that the run is the same on every machine and stays short (about 25 s of CPU).

GeoReport v2 (/open311/v2/) is not in this schema: it has its own XML and JSON contract, held by
open311/tests (test_every_endpoint, test_params, test_hostile_inputs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cityhall.accounts.tests.api_callers import key_headers, token_headers
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.catalog.tests.factories import ServiceFactory, ServiceFieldFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

EXAMPLES_PER_OPERATION = 25
#: Server errors and answers off the schema. Business rules that a schema cannot state (a
#: description of at least ten characters, say) legitimately refuse schema-valid input, so
#: schemathesis' positive-data check is not among them.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def connections_kept_open() -> Iterator[None]:
    """Keep the test's database connection (and transaction) across in-process requests.

    Django's test client does the same: a WSGI request would otherwise close it at its end.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def callers(citizen, agent) -> dict[str, dict[str, str]]:
    """Headers per caller; the partner's organisation holds the citizen's requests."""
    organisation = PartnerOrganisationFactory(name="Hydro Rivière")
    service = ServiceFactory(code="pothole", department__code="public-works")
    ServiceFieldFactory(service=service, code="size", datatype="string", is_required=False)
    for _ in range(3):
        ServiceRequestFactory(reporter=citizen, service=service, assigned_partner=organisation)
    return {
        "anonymous": {},
        "citizen": token_headers(citizen),
        "agent": token_headers(agent),
        "partner": key_headers(organisation, ["requests:read", "requests:write"]),
    }


@pytest.fixture
def known_ids(callers, citizen) -> dict[str, str]:
    """Path values naming real objects, so that successful answers are checked too."""
    first = ServiceRequest.objects.filter(reporter=citizen).earliest("id")
    return {
        "public_id": str(first.public_id),
        "tracking_number": first.tracking_number,
        "code": "pothole",
    }


def api_routes() -> set[tuple[str, str]]:
    """(METHOD, /api/v1/path/{name}) for every DRF view mounted under api/v1/."""
    routes: set[tuple[str, str]] = set()
    pending: list[tuple[str, Any]] = [("", pattern) for pattern in get_resolver().url_patterns]
    while pending:
        prefix, pattern = pending.pop()
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            pending.extend((route, inner) for inner in pattern.url_patterns)
            continue
        view_class = getattr(pattern.callback, "cls", None)
        if not route.startswith("api/v1/") or view_class is None:
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        routes.update(
            (method.upper(), path)
            for method in ("get", "post", "put", "patch", "delete")
            if hasattr(view_class, method)
        )
    return routes


def _run_operation(
    operation: Any, callers: dict[str, dict[str, str]], known_ids: dict[str, str]
) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ),
        caller=st.sampled_from(sorted(callers)),
        use_known_ids=st.booleans(),
    )
    def check(case: Any, caller: str, use_known_ids: bool) -> None:
        if use_known_ids and case.path_parameters:
            case.path_parameters = {
                name: known_ids.get(name, value) for name, value in case.path_parameters.items()
            }
        if case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE:
            case.call_and_validate(headers=callers[caller], checks=CHECKS)
            return
        response = case.call(headers=callers[caller])
        case.validate_response(response, checks=[not_a_server_error])
        assert_error_contract(response)

    check()


def assert_error_contract(response: Any) -> None:
    """A refusal of schema-invalid input is a 4xx in the error contract (or, rarely, a success:
    negative mode may change only what the server is free to ignore, such as a header)."""
    if response.status_code < 400:
        return
    answer = f"{response.request.method} {response.request.url}: {response.status_code}"
    assert 400 <= response.status_code < 500, answer
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), f"{answer} {content_type}"
    assert set(response.json()["error"]) == {"code", "message", "fields"}, answer


@pytest.mark.django_db
def test_no_operation_answers_a_server_error_or_off_its_schema(
    settings, callers, known_ids, connections_kept_open
):
    settings.RATE_LIMITS = {}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    results = list(schema.get_all_operations())
    invalid = [result.err() for result in results if isinstance(result, Err)]
    operations = [result.ok() for result in results if isinstance(result, Ok)]

    assert not invalid
    described = {(operation.method.upper(), operation.path) for operation in operations}
    assert described == api_routes()
    for operation in operations:
        _run_operation(operation, callers, known_ids)
