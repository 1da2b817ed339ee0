"""What encryption at rest and the audit line of a staff read cost the request pages.

Run: .venv/bin/python bench/encryption_overhead.py --database-url URL [--reuse] [--count N]
     [--requests R] [--rounds K]

URL as for bench/seed_requests.py (a PostgreSQL database whose name contains "bench", or a
SQLite file under /tmp), seeded first with `--count` requests (20,000 by default; kept with
--reuse). R requests filed by residents (20 by default), routed to a department one of the demo
city's agents handles and with no duplicate candidates, are given a contact name, email and
phone, three comments, three internal notes and a satisfaction comment. Each is then copied
with the same content into a twin whose columns hold plaintext. Two pages are read in process
through Django's test client (the whole middleware stack; debugging off):

- status: the portal status page of the request, for its owner signed in (`/en/requests/<n>/`);
- staff detail: the back-office page of the request, for the agent (`/en/staff/requests/<id>/`),
  which writes an audit line per read.

Four variants, taken in turn for each request so that other work on the machine weighs on all
alike, K rounds over the R requests (100 by default): encrypted (the original, as stored) or
not (its plaintext twin, read with the encrypted fields made pass-through, which refuse any
value still encrypted), each with the staff read's audit line written or not (the selector's
`record_audit_event` replaced by a no-op). Prints each variant's median and mean time per page
and the overhead of encryption, of the audit line and of both, against neither (goal: under 10%).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).absolute().parent))

import loadgen
import seed_requests

VARIANTS = (
    ("plaintext, no audit", False, False),
    ("plaintext, audit", False, True),
    ("encrypted, no audit", True, False),
    ("encrypted, audit", True, True),
)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--reuse", action="store_true", help="Keep a database already seeded.")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=100)
    return parser.parse_args()


def main() -> None:
    chosen = options()
    os.environ["CITYHALL_DEBUG"] = "false"
    # Static files are not served here; their missing directory is no news.
    warnings.filterwarnings("ignore", "No directory at")
    stored = seed_requests.seeded_database(chosen)
    pairs = _pairs(chosen.requests)
    loadgen.header(
        f"Request pages with and without encryption at rest and the staff read's audit line, "
        f"{stored:,} requests stored",
        database=_vendor(),
        pages=f"{len(pairs)} requests and their plaintext twins, {chosen.rounds} rounds",
    )
    timings = _measure(pairs, rounds=chosen.rounds)
    _report(timings)


def _vendor() -> str:
    from django.db import connection

    return str(connection.vendor)


class Pair:
    """A request as stored (encrypted) and its twin holding the same content in plaintext."""

    def __init__(self, original: Any, twin: Any, reporter: Any, agent: Any) -> None:
        self.original, self.twin, self.reporter, self.agent = original, twin, reporter, agent


def _pairs(count: int) -> list[Pair]:
    """`count` requests given contact details and free text, each with its plaintext twin."""
    from cityhall.accounts.models import StaffRole
    from cityhall.servicerequests.access import department_ids_handled_by
    from cityhall.servicerequests.models import DuplicateCandidate, ServiceRequest

    # A database kept with --reuse holds the last run's twins and additions: start afresh.
    with _plaintext_fields():
        ServiceRequest.objects.filter(tracking_number__startswith="TWIN-").delete()
    agents: dict[int, Any] = {}
    for role in StaffRole.objects.filter(role="agent").select_related("user").order_by("id"):
        for department_id in department_ids_handled_by(role.user):
            agents.setdefault(department_id, role.user)
    with_candidates = DuplicateCandidate.objects.values("service_request_id")
    originals = list(
        ServiceRequest.objects.filter(
            reporter__isnull=False,
            department_id__in=list(agents),
            duplicate_of__isnull=True,
            duplicates__isnull=True,
        )
        .exclude(id__in=with_candidates)
        .exclude(id__in=DuplicateCandidate.objects.values("candidate_id"))
        .select_related("reporter")
        .order_by("id")[:count]
    )
    pairs = []
    for number, original in enumerate(originals):
        _fill(original, number)
        twin = _twin(original)
        pairs.append(Pair(original, twin, original.reporter, agents[original.department_id]))
    return pairs


def _fill(service_request: Any, number: int) -> None:
    """Contact details, comments, internal notes and a rating comment, as citizens and staff
    write them (through the models: a benchmark fixture, as in seed_requests)."""
    from cityhall.servicerequests.models import Comment, SatisfactionRating, StatusChange

    service_request.comments.all().delete()
    service_request.status_changes.exclude(internal_note="").delete()

    service_request.contact_name = f"Camille Tremblay-{number}"
    service_request.contact_email = f"camille.tremblay.{number}@example.org"
    service_request.contact_phone = "514 555-0199"
    service_request.save()
    for step in range(3):
        Comment.objects.create(
            service_request=service_request,
            author=service_request.reporter,
            body=f"Still there this morning ({step + 1}); deeper near the curb.",
        )
        StatusChange.objects.create(
            service_request=service_request,
            from_status=service_request.status,
            to_status=service_request.status,
            internal_note=f"Called the resident back ({step + 1}); crew booked for Thursday.",
            is_public=False,
        )
    if service_request.status in ("resolved", "closed"):
        SatisfactionRating.objects.update_or_create(
            service_request=service_request,
            defaults={
                "rater": service_request.reporter,
                "score": 4,
                "comment": "Quick work, thank you.",
            },
        )


def _twin(original: Any) -> Any:
    """A copy of `original` and its comments, steps and rating, then decrypted in place."""
    from cityhall.core.encrypted_fields import EncryptedTextField
    from cityhall.servicerequests.models import ServiceRequest

    comments = list(original.comments.all())
    steps = list(original.status_changes.all())
    rating = getattr(original, "satisfaction_rating", None)
    twin = ServiceRequest.objects.get(pk=original.pk)
    twin.pk = None
    twin.public_id = uuid.uuid4()
    twin.tracking_number = f"TWIN-{original.pk}"
    twin.idempotency_key = ""
    twin.save()
    for rows in (comments, steps, [rating] if rating else []):
        for row in rows:
            row.pk = None
            row.public_id = uuid.uuid4()
            row.service_request = twin
            row.save()
    groups: tuple[tuple[Any, list[int]], ...] = (
        (ServiceRequest, [twin.pk]),
        (type(comments[0]), [c.pk for c in comments]),
        (type(steps[0]), [s.pk for s in steps]),
        *([(type(rating), [rating.pk])] if rating else []),
    )
    for model, ids in groups:
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        for row in model.objects.filter(pk__in=ids).values("pk", *(f.attname for f in fields)):
            _write_plaintext(model, row, fields)
    return twin


def _write_plaintext(model: Any, row: dict[str, Any], fields: list[Any]) -> None:
    from django.db import models

    model.objects.filter(pk=row["pk"]).update(
        **{f.attname: models.Value(row[f.attname], output_field=models.TextField()) for f in fields}
    )


@contextmanager
def _plaintext_fields() -> Iterator[None]:
    """The encrypted fields made pass-through; a value still encrypted is refused."""
    from cityhall.core.encrypted_fields import PREFIX, EncryptedTextField

    def pass_through(self: Any, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str) and value.startswith(PREFIX):
            raise RuntimeError(f"{self.encryption_context}: read an encrypted value")
        return value

    original = EncryptedTextField.from_db_value
    EncryptedTextField.from_db_value = pass_through  # type: ignore[method-assign]
    try:
        yield
    finally:
        EncryptedTextField.from_db_value = original  # type: ignore[method-assign]


@contextmanager
def _audit(enabled: bool) -> Iterator[None]:
    from cityhall.servicerequests import selectors

    name = "record_audit_event"  # what the staff read calls to write its audit line
    original = vars(selectors)[name]
    if not enabled:
        setattr(selectors, name, lambda **_kwargs: None)
    try:
        yield
    finally:
        setattr(selectors, name, original)


def _clients(pair: Pair) -> tuple[Any, Any]:
    from django.test import Client

    from cityhall.backoffice.access import VERIFIED_SESSION_KEY

    citizen = Client(HTTP_HOST="localhost")
    citizen.force_login(pair.reporter)
    staff = Client(HTTP_HOST="localhost")
    staff.force_login(pair.agent)
    session = staff.session
    session[VERIFIED_SESSION_KEY] = str(pair.agent.public_id)
    session.save()
    return citizen, staff


def _timed(get: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of one page; CPU time moves less with other work on the machine."""
    began, began_cpu = time.perf_counter(), time.process_time()
    response = get()
    elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    if response.status_code != 200:
        raise RuntimeError(f"status {response.status_code}")
    return elapsed, cpu


def _measure(pairs: list[Pair], *, rounds: int) -> dict[tuple[str, str], list[tuple[float, float]]]:
    from cityhall.core.models import AuditEvent

    clients = [_clients(pair) for pair in pairs]
    timings: dict[tuple[str, str], list[tuple[float, float]]] = {}
    audit_lines = {True: 0, False: 0}
    for round_number in range(rounds + 1):  # round 0 warms every page up and is not counted
        for pair, (citizen, staff) in zip(pairs, clients, strict=True):
            for label, encrypted, audited in VARIANTS:
                shown = pair.original if encrypted else pair.twin
                status = f"/en/requests/{shown.tracking_number}/"
                detail = f"/en/staff/requests/{shown.public_id}/"
                with _audit(audited), _nothing() if encrypted else _plaintext_fields():
                    before = AuditEvent.objects.count() if round_number == 1 else 0
                    status_time = _timed(partial(citizen.get, status))
                    detail_time = _timed(partial(staff.get, detail))
                    if round_number == 1:
                        audit_lines[audited] += AuditEvent.objects.count() - before
                if round_number:
                    timings.setdefault(("status", label), []).append(status_time)
                    timings.setdefault(("staff detail", label), []).append(detail_time)
    print(
        f"   audit lines written per staff read: {audit_lines[True] / (2 * len(pairs)):.1f} "
        f"with the audit, {audit_lines[False] / (2 * len(pairs)):.1f} without"
    )
    return timings


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _report(timings: dict[tuple[str, str], list[tuple[float, float]]]) -> None:
    baseline_label = VARIANTS[0][0]
    for page in ("status", "staff detail"):
        base_wall, base_cpu = (
            statistics.median(t[i] for t in timings[(page, baseline_label)]) for i in (0, 1)
        )
        for label, _encrypted, audited in VARIANTS:
            if page == "status" and audited:
                continue  # the owner's status page writes no audit line
            times = timings[(page, label)]
            wall, cpu = (statistics.median(t[i] for t in times) for i in (0, 1))
            print(
                f"{page:>12} | {label:<20}: median {wall * 1000:6.2f} ms "
                f"({(wall - base_wall) / base_wall * 100:+5.1f}%), CPU {cpu * 1000:6.2f} ms "
                f"({(cpu - base_cpu) / base_cpu * 100:+5.1f}%) against plaintext without audit; "
                f"{len(times):,} pages"
            )


if __name__ == "__main__":
    main()
