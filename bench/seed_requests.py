"""Store about a million service requests in a benchmark database, in minutes.

Run: .venv/bin/python bench/seed_requests.py --database-url URL [--count N] [--reuse]
     [--timeline-share S]

URL is a SQLite file under /tmp (sqlite:////tmp/cityhall-bench.sqlite3) or a PostgreSQL
database of its own (postgres://postgres@127.0.0.1:5432/cityhall_bench), never a database
someone else uses. The database is migrated and given the demo city (`load_demo_city`) when
it has neither yet.

This builds a benchmark fixture, not product data, so it bypasses the servicerequests
services for speed: rows go in with one multi-row INSERT per batch on SQLite and with COPY
on PostgreSQL, no audit line, duplicate candidate or confirmation email is written. Their
content still comes from the product's own rules, so every model constraint holds and
the rows look like what the services store:

- a pool of prototypes is drawn by the demo city's history generator (seasonal services,
  residents or anonymous reporters, bilingual descriptions, answers, addresses, statuses
  and timelines), and each is checked and placed as a submission would be: answers
  through `clean_answers`, the point through `place_of` (H3 cell and district), the
  department through the service's routing rules;
- each stored request is a prototype moved back by whole weeks (0 or 52, plus 0 to 51 more
  days for the spread), so that the set spans two years, keeps the seasons and never lies
  in the future; its due date is the SLA rules' for its creation time (computed for the
  whole-week move, then moved by the same minutes as the creation time);
- tracking numbers continue each year's numbers (the counter row, or on PostgreSQL the
  year's sequence), which are then moved past them, so that the next real submission gets
  a fresh number;
- `--timeline-share` of the requests get their whole timeline (the submission and each
  later step, with the public notes); the others only their status.

Without `--reuse` the database is emptied first (dropped and created again, or the SQLite
file deleted; only for a database whose name contains "bench"); with `--reuse` a database
already holding `--count` requests is left as it is, and one holding fewer is topped up.
Afterwards PostgreSQL's tables are vacuumed and their statistics refreshed (VACUUM ANALYZE:
the visibility map lets list pages pick their ids by index-only scans), as autovacuum would do
on a live server; SQLite's statistics are refreshed (ANALYZE).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

# Not resolved: a copy of the checkout whose bench/ links here measures its own code.
REPOSITORY = Path(__file__).absolute().parents[1]
DEFAULT_COUNT = 1_000_000
#: Prototypes drawn by the demo generator; every stored request copies one of them.
PROTOTYPES = 20_000
BATCH = 5_000
WEEK = timedelta(weeks=1)


def setup_django(database_url: str) -> None:
    """Point Django at `database_url` (before anything imports the settings) and set it up."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("CITYHALL_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(REPOSITORY) not in sys.path:
        sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()


@dataclass(frozen=True)
class Prototype:
    """A validated request, ready to be copied at another time."""

    service: Any
    reporter_id: int | None
    description: str
    answers_json: str
    #: Answers that are moments, moved with the request's creation time.
    moment_codes: tuple[str, ...]
    latitude: float
    longitude: float
    h3_cell: str
    district_id: int | None
    department_id: int
    address_text: str
    channel: str
    created_at: datetime
    #: (status, at, public note) after the submission.
    steps: tuple[tuple[str, datetime, str], ...]
    is_duplicate: bool


def reset_database(database_url: str) -> None:
    """Start from an empty database: delete the SQLite file, or drop and create the database.

    Refuses a database whose name does not contain "bench", so that a slip of the finger
    never empties a database someone else uses.
    """
    import dj_database_url

    config = dj_database_url.parse(database_url)
    name = str(config["NAME"])
    if "bench" not in Path(name).name:
        raise SystemExit(f"Refusing to reset {name!r}: its name must contain 'bench'.")
    if config["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    import psycopg

    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare_database(database_url: str, *, count: int, timeline_share: float) -> int:
    """Migrate, load the demo city and add requests until `count` are stored; return how many.

    Call after `setup_django(database_url)`. A database already holding `count` is kept.
    """
    from django.core.management import call_command

    from cityhall.servicerequests.models import ServiceRequest

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo_city", verbosity=0, stdout=io.StringIO())
    stored = ServiceRequest.objects.count()
    if stored >= count:
        print(f"Reusing {_safe(database_url)}: {stored:,} requests already stored.")
        return stored
    started = time.monotonic()
    prototypes = _prototypes()
    print(f"{len(prototypes):,} prototypes in {time.monotonic() - started:.1f} s; seeding…")
    _seed(prototypes, count - stored, timeline_share)
    _analyze()
    stored = ServiceRequest.objects.count()
    print(f"{stored:,} requests stored in {time.monotonic() - started:.1f} s.")
    return stored


def _prototypes() -> list[Prototype]:
    from django.utils import timezone

    from cityhall.accounts.models import User
    from cityhall.catalog.answers import clean_answers
    from cityhall.catalog.models import Service
    from cityhall.catalog.selectors import route_service_request_target
    from cityhall.demo.generator.city import generate_city
    from cityhall.demo.generator.history import generate_history
    from cityhall.demo.models import DemoCity
    from cityhall.demo.services import CATALOG_FILE
    from cityhall.servicerequests.models import ServiceRequest
    from cityhall.servicerequests.services import Location
    from cityhall.servicerequests.services.intake import place_of

    demo = DemoCity.objects.get()
    city = generate_city(demo.seed)
    catalog = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    generated = generate_history(
        demo.seed + 1, city, catalog=catalog, now=timezone.now(), count=PROTOTYPES
    )
    services = {s.code: s for s in Service.objects.filter(is_active=True, accepts_requests=True)}
    fields = {s.pk: list(s.fields.prefetch_related("choices")) for s in services.values()}
    users = dict(User.objects.values_list("email", "id"))
    places: dict[tuple[float, float], ServiceRequest] = {}
    routes: dict[tuple[int, int | None, str], int] = {}
    prototypes = []
    for item in generated:
        service = services.get(item.service_code)
        reporter_id = users.get(item.reporter_email or "")
        if service is None or (reporter_id is None and not service.allows_anonymous):
            continue
        answers = clean_answers(service=service, answers=item.answers, fields=fields[service.pk])
        point = (item.latitude, item.longitude)
        if point not in places:
            places[point] = ServiceRequest()
            place_of(places[point], Location(*point))
        place = places[point]
        answers_json = json.dumps(answers, sort_keys=True)
        route = (service.pk, place.district_id, answers_json)
        if route not in routes:
            routes[route] = route_service_request_target(
                service, district=place.district, answers=answers
            ).pk
        prototypes.append(
            Prototype(
                service=service,
                reporter_id=reporter_id,
                description=item.description,
                answers_json=answers_json,
                moment_codes=tuple(
                    f.code
                    for f in fields[service.pk]
                    if f.datatype == "datetime" and f.code in answers
                ),
                latitude=item.latitude,
                longitude=item.longitude,
                h3_cell=place.h3_cell,
                district_id=place.district_id,
                department_id=routes[route],
                address_text=item.address_text,
                channel=item.channel,
                created_at=item.created_at,
                steps=tuple((s.to_status, s.at, s.public_note) for s in item.steps),
                is_duplicate=item.duplicate_of is not None,
            )
        )
    return prototypes


def _seed(prototypes: Sequence[Prototype], count: int, timeline_share: float) -> None:
    from django.db import connection, transaction

    from cityhall.servicerequests.models import ServiceRequest, StatusChange
    from cityhall.servicerequests.services.numbering import (
        continue_tracking_numbers,
        last_tracking_values,
    )

    rng = random.Random(f"seed-requests-{count}")
    moments = []
    for _number in range(count):
        index = rng.randrange(len(prototypes))
        # Whole weeks keep the weekday and the hour; up to an hour more keeps times apart.
        weeks = 52 * rng.randrange(2) + rng.randrange(8)
        jitter = timedelta(seconds=rng.uniform(0, 3600))
        moments.append((prototypes[index].created_at - WEEK * weeks - jitter, index, weeks))
    moments.sort()
    # On PostgreSQL the demo city's filings numbered from the years' sequences.
    counters = last_tracking_values()
    writer = _Writer(connection)
    rows = _Rows(
        prototypes,
        rng=rng,
        counters=counters,
        next_request_id=_next_id(ServiceRequest),
        next_step_id=_next_id(StatusChange),
        timeline_share=timeline_share,
    )
    request_columns = [str(f.column) for f in ServiceRequest._meta.concrete_fields]
    step_columns = [str(f.column) for f in StatusChange._meta.concrete_fields]
    for start in range(0, len(moments), BATCH):
        requests, steps = rows.batch(moments[start : start + BATCH])
        with transaction.atomic():
            writer.write(ServiceRequest._meta.db_table, request_columns, requests)
            writer.write(StatusChange._meta.db_table, step_columns, steps)
        if start and start % 100_000 == 0:
            print(f"  {start:,} requests written")
    with transaction.atomic():
        for year, value in counters.items():
            continue_tracking_numbers(year, value)
        writer.finish([ServiceRequest._meta.db_table, StatusChange._meta.db_table])


def _next_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


class _Rows:
    """Turns (moment, prototype index) pairs into rows of both tables, in column order."""

    def __init__(  # noqa: PLR0913 (the state the rows are numbered from)
        self,
        prototypes: Sequence[Prototype],
        *,
        rng: random.Random,
        counters: dict[int, int],
        next_request_id: int,
        next_step_id: int,
        timeline_share: float,
    ) -> None:
        from django.conf import settings

        from cityhall.core.encrypted_fields import encrypt_text
        from cityhall.servicerequests.models import ServiceRequest, StatusChange

        self.prototypes = prototypes
        self.rng = rng
        self.counters = counters
        self.request_id = next_request_id
        self.step_id = next_step_id
        self.timeline_share = timeline_share
        self.zone = ZoneInfo(settings.TIME_ZONE)
        #: The latest request of each service so far, which a duplicate is merged into.
        self.latest: dict[int, int] = {}
        self.due_times: dict[tuple[int, int], datetime] = {}
        self.request_defaults = _defaults(ServiceRequest)
        self.step_defaults = _defaults(StatusChange)
        #: Rows bypass the models: free text is encrypted here as its field would on save.
        self.encrypt_text = encrypt_text
        self.description_context = ServiceRequest._meta.get_field("description").encryption_context

    def batch(
        self, moments: Sequence[tuple[datetime, int, int]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        requests: list[dict[str, Any]] = []
        steps: list[dict[str, Any]] = []
        for created_at, index, weeks in moments:
            request, timeline = self._request(created_at, index, weeks)
            requests.append(request)
            steps.extend(timeline)
        return requests, steps

    def _due_at(self, index: int, weeks: int, jitter: timedelta) -> datetime:
        """The SLA's due time for the prototype moved back by whole weeks, then the jitter.

        Counting business hours costs up to a quarter of a millisecond, so it is done once
        per prototype and week; the jitter (under an hour) moves the due time with it.
        """
        from cityhall.servicerequests.sla import due_at

        key = (index, weeks)
        if key not in self.due_times:
            prototype = self.prototypes[index]
            self.due_times[key] = due_at(
                service=prototype.service, submitted_at=prototype.created_at - WEEK * weeks
            )
        return self.due_times[key] - jitter

    def _tracking_number(self, created_at: datetime) -> str:
        from cityhall.servicerequests.services.numbering import format_tracking_number

        year = created_at.astimezone(self.zone).year
        self.counters[year] = self.counters.get(year, 0) + 1
        return format_tracking_number(year, self.counters[year])

    def _request(
        self, created_at: datetime, index: int, weeks: int
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        prototype = self.prototypes[index]
        shift = prototype.created_at - created_at
        steps = [(status, at - shift, note) for status, at, note in prototype.steps]
        service_id = prototype.service.pk
        original = self.latest.get(service_id)
        if steps and steps[-1][0] == "duplicate" and original is None:
            steps = steps[:-1]  # nothing to merge into yet: left acknowledged
        request_id = self.request_id
        self.request_id += 1
        if not prototype.is_duplicate:
            self.latest[service_id] = request_id
        status = steps[-1][0] if steps else "submitted"
        resolved_at = closed_at = None
        for step_status, at, _note in steps:
            if step_status == "resolved":
                resolved_at = at
            elif step_status == "closed":
                closed_at = at
            elif step_status == "in_progress":
                resolved_at = closed_at = None
        request = {
            **self.request_defaults,
            "id": request_id,
            "public_id": uuid.uuid4(),
            "created_at": created_at,
            "updated_at": steps[-1][1] if steps else created_at,
            "tracking_number": self._tracking_number(created_at),
            "service_id": service_id,
            "reporter_id": prototype.reporter_id,
            "description": self.encrypt_text(
                prototype.description, context=self.description_context
            ),
            "answers": _moved_answers(prototype, shift),
            "latitude": prototype.latitude,
            "longitude": prototype.longitude,
            "h3_cell": prototype.h3_cell,
            "address_text": prototype.address_text,
            "district_id": prototype.district_id,
            "department_id": prototype.department_id,
            "status": status,
            "channel": prototype.channel,
            "due_at": self._due_at(index, weeks, shift - WEEK * weeks),
            "resolved_at": resolved_at,
            "closed_at": closed_at,
            "duplicate_of_id": original if status == "duplicate" else None,
        }
        timeline = []
        if self.rng.random() < self.timeline_share:
            timeline = self._timeline(request_id, prototype.reporter_id, created_at, steps)
        return request, timeline

    def _timeline(
        self,
        request_id: int,
        reporter_id: int | None,
        created_at: datetime,
        steps: Sequence[tuple[str, datetime, str]],
    ) -> list[dict[str, Any]]:
        timeline = []
        previous = ""
        for status, at, note in (("submitted", created_at, ""), *steps):
            timeline.append(
                {
                    **self.step_defaults,
                    "id": self.step_id,
                    "public_id": uuid.uuid4(),
                    "created_at": at,
                    "updated_at": at,
                    "service_request_id": request_id,
                    "actor_id": reporter_id if not previous else None,
                    "from_status": previous,
                    "to_status": status,
                    "public_note": note,
                }
            )
            self.step_id += 1
            previous = status
        return timeline


def _moved_answers(prototype: Prototype, shift: timedelta) -> str:
    if not prototype.moment_codes:
        return prototype.answers_json
    answers = json.loads(prototype.answers_json)
    for code in prototype.moment_codes:
        answers[code] = (datetime.fromisoformat(answers[code]) - shift).isoformat()
    return json.dumps(answers, sort_keys=True)


def _defaults(model: Any) -> dict[str, Any]:
    """Each column's default, so that columns added later still get a valid value."""
    defaults: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.has_default():
            value = field.get_default()
            defaults[field.column] = json.dumps(value) if isinstance(value, dict) else value
        elif field.null:
            defaults[field.column] = None
        elif field.empty_strings_allowed:
            defaults[field.column] = ""
    return defaults


class _Writer:
    """Bulk insertion: COPY on PostgreSQL, multi-row INSERTs on SQLite."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.is_postgres = connection.vendor == "postgresql"

    def write(self, table: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        self.connection.ensure_connection()
        if self.is_postgres:
            self._copy(table, columns, rows)
        else:
            self._insert(table, columns, rows)

    def _copy(self, table: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
        names = ", ".join(f'"{column}"' for column in columns)
        with (
            self.connection.connection.cursor() as cursor,
            cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row([row[column] for column in columns])

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
        names = ", ".join(f'"{column}"' for column in columns)
        marks = "(" + ", ".join("?" * len(columns)) + ")"
        # SQLite allows 32766 parameters per statement.
        per_statement = max(1, 32766 // len(columns))
        database = self.connection.connection
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = [_sqlite(row[column]) for row in chunk for column in columns]
            # Table and column names come from the models' _meta, never from input.
            statement = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join(  # noqa: S608
                [marks] * len(chunk)
            )
            database.execute(statement, values)

    def finish(self, tables: Sequence[str]) -> None:
        """Move PostgreSQL's identity sequences past the ids given explicitly."""
        if not self.is_postgres:
            return
        with self.connection.cursor() as cursor:
            for table in tables:
                # Table names come from the models' _meta, never from input.
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                    f'(SELECT MAX(id) FROM "{table}"))'
                )


def _sqlite(value: Any) -> Any:
    """Values as Django's SQLite backend stores them (naive UTC datetimes, hex UUIDs)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, uuid.UUID):
        return value.hex
    return value


def _safe(database_url: str) -> str:
    """The URL without its password, for printing."""
    import re

    return re.sub(r"//([^:/@]+):[^@]*@", r"//\\1:***@", database_url)


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--reuse", action="store_true", help="Keep a database already seeded.")
    parser.add_argument("--timeline-share", type=float, default=0.3)
    options = parser.parse_args(argv)
    if not options.reuse:
        reset_database(options.database_url)
    setup_django(options.database_url)
    prepare_database(
        options.database_url, count=options.count, timeline_share=options.timeline_share
    )


if __name__ == "__main__":
    main()


def load_options(description: str) -> argparse.Namespace:
    """The command line the load benchmarks share: database, size, run length, server shape."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--reuse", action="store_true", help="Keep a database already seeded.")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--no-pinning", action="store_true", help="Let the server and clients share all CPUs."
    )
    return parser.parse_args()


def seeded_database(options: argparse.Namespace) -> int:
    """Set Django up on the benchmark database, seeding it unless `--reuse`; the rows stored."""
    if not options.reuse:
        reset_database(options.database_url)
    setup_django(options.database_url)
    return prepare_database(options.database_url, count=options.count, timeline_share=0.3)
