"""The requests the benchmarks send: valid submissions, tracking numbers to read, an API key.

Everything here reads the benchmark database through Django (set up by
`seed_requests.setup_django`) before the client processes are forked; the clients
themselves only speak HTTP.
"""

from __future__ import annotations

import io
import json
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from loadgen import Answer, Call, Scenario

OPEN311_REQUESTS = "/open311/v2/requests.json"


@dataclass(frozen=True)
class Submission:
    """What a citizen sends for one request: a service, answers that it accepts, a place."""

    service_code: str
    answers: dict[str, Any]
    description: str
    latitude: float
    longitude: float
    #: Services that refuse anonymous requests need a way to reach the person.
    needs_contact: bool


def submissions(count: int, *, seed: int = 311) -> list[Submission]:
    """`count` valid submissions over every service taking requests without a photo, at real
    addresses.

    Required answers take the first choice, 1, now or a short text; descriptions are
    those of stored requests.
    """
    from django.db.models import Max

    from cityhall.catalog.answers import clean_answers
    from cityhall.catalog.models import Service
    from cityhall.places.models import Address
    from cityhall.servicerequests.models import ServiceRequest

    rng = random.Random(seed)
    answered = []
    # Services that require a photo refuse a form without one.
    for service in Service.objects.filter(
        is_active=True, accepts_requests=True, requires_photo=False
    ):
        fields = list(service.fields.prefetch_related("choices"))
        answers = {f.code: _answer(f) for f in fields if f.is_required}
        clean_answers(service=service, answers=answers, fields=fields)  # raises if not valid
        answered.append((service, answers))
    points = list(Address.objects.values_list("latitude", "longitude")[:5000])
    top = ServiceRequest.objects.aggregate(top=Max("id"))["top"] or 0
    ids = [rng.randint(1, top) for _ in range(500)]
    descriptions = list(
        ServiceRequest.objects.filter(id__in=ids).values_list("description", flat=True)
    ) or ["The street light in front of the house has been out for three nights."]
    result = []
    for _number in range(count):
        service, answers = rng.choice(answered)
        latitude, longitude = rng.choice(points)
        result.append(
            Submission(
                service_code=service.code,
                answers=answers,
                description=rng.choice(descriptions),
                latitude=latitude,
                longitude=longitude,
                needs_contact=not service.allows_anonymous,
            )
        )
    return result


def _answer(field: Any) -> Any:
    from django.utils import timezone

    keys = [choice.key for choice in field.choices.all()]
    return {
        "singlevaluelist": keys[0] if keys else "",
        "multivaluelist": keys[:1],
        "number": 1,
        "datetime": timezone.now().replace(microsecond=0).isoformat(),
    }.get(field.datatype, "Seen this morning")


def open311_form(
    submission: Submission, *, api_key: str, number: int, with_email: bool = False
) -> bytes:
    """The urlencoded body of a GeoReport v2 POST requests for `submission`; it gives an
    email address when the service needs one, or always `with_email`."""
    fields: list[tuple[str, str]] = [
        ("api_key", api_key),
        ("service_code", submission.service_code),
        ("lat", f"{submission.latitude:.6f}"),
        ("long", f"{submission.longitude:.6f}"),
        ("description", submission.description),
    ]
    if submission.needs_contact or with_email:
        fields.append(("email", f"reporter{number % 1000}@example.org"))
    for code, value in submission.answers.items():
        if isinstance(value, list):
            fields += [(f"attribute[{code}][]", str(item)) for item in value]
        else:
            fields.append((f"attribute[{code}]", str(value)))
    return urlencode(fields).encode()


class Open311Submissions(Scenario):
    """POST requests with an Idempotency-Key; reports the service_request_id of each 2xx.

    `with_email`: every request gives an email address, so that each gets a confirmation.
    """

    def __init__(
        self, pool: Sequence[Submission], *, api_key: str, client: int, with_email: bool = False
    ) -> None:
        self.pool = pool
        self.api_key = api_key
        self.client = client
        self.with_email = with_email

    def next_call(self, number: int) -> Call:
        submission = self.pool[(number * 7919 + self.client * 104729) % len(self.pool)]
        return Call(
            "POST",
            OPEN311_REQUESTS,
            open311_form(
                submission, api_key=self.api_key, number=number, with_email=self.with_email
            ),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )

    def answered(self, call: Call, answer: Answer) -> Any:
        if not 200 <= answer.status < 300:
            return None
        return json.loads(answer.body)[0]["service_request_id"]


class StatusPages(Scenario):
    """GET /<language>/requests/<tracking number>/ for random stored requests."""

    def __init__(self, tracking_numbers: Sequence[str], *, client: int) -> None:
        self.tracking_numbers = tracking_numbers
        self.rng = random.Random(client)

    def next_call(self, number: int) -> Call:
        language = "fr" if self.rng.random() < 0.4 else "en"
        return Call("GET", f"/{language}/requests/{self.rng.choice(self.tracking_numbers)}/")


def random_tracking_numbers(count: int, *, seed: int = 7) -> list[str]:
    """Tracking numbers of `count` requests drawn uniformly from all stored ones."""
    from django.db.models import Max

    from cityhall.servicerequests.models import ServiceRequest

    rng = random.Random(seed)
    top = ServiceRequest.objects.aggregate(top=Max("id"))["top"] or 0
    ids = {rng.randint(1, top) for _ in range(count)}
    return list(ServiceRequest.objects.filter(id__in=ids).values_list("tracking_number", flat=True))


def create_open311_key() -> str:
    """A fresh partner key with open311:write, issued by `manage.py create_api_key`."""
    from django.core.management import call_command

    from cityhall.accounts.models import PartnerOrganisation

    partner = PartnerOrganisation.objects.order_by("id").first()
    if partner is None:
        raise SystemExit("No partner organisation: load the demo city first.")
    output = io.StringIO()
    call_command(
        "create_api_key",
        partner=partner.name,
        scopes="open311:write",
        name="Benchmark",
        stdout=output,
    )
    return output.getvalue().strip().splitlines()[-1]


def stored_tracking_numbers(tracking_numbers: Sequence[str]) -> set[str]:
    """Which of these tracking numbers the database holds."""
    return set(_stored_ids(tracking_numbers))


def queued_follow_ups(tracking_numbers: Sequence[str]) -> set[str]:
    """Which of these requests have their follow-up task (queued with the filing) stored."""
    from django_tasks_db.models import DBTaskResult

    from cityhall.servicerequests.tasks import follow_up_submission

    queued = {
        arguments["args"][0]
        for arguments in DBTaskResult.objects.filter(
            task_path=follow_up_submission.module_path
        ).values_list("args_kwargs", flat=True)
    }
    return {
        number
        for number, request_id in _stored_ids(tracking_numbers).items()
        if request_id in queued
    }


def _stored_ids(tracking_numbers: Sequence[str]) -> dict[str, int]:
    """Tracking number → id of those the database holds (asked in batches)."""
    from cityhall.servicerequests.models import ServiceRequest

    found: dict[str, int] = {}
    for start in range(0, len(tracking_numbers), 1000):
        batch = list(tracking_numbers[start : start + 1000])
        found.update(
            ServiceRequest.objects.filter(tracking_number__in=batch).values_list(
                "tracking_number", "id"
            )
        )
    return found
