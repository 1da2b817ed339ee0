"""Emergency alert fan-out: resolving an area to subscribers, and queueing every delivery.

Run: .venv/bin/python bench/alert_fanout.py [--subscribers N] [--account-share S]
     [--workers W] [--database-url postgres://postgres@127.0.0.1:5432/alert_fanout_bench]
     [--serve-seconds 0] [--reuse]

Without --database-url the run uses a throw-away SQLite database and, unless --subscribers
says otherwise, 100,000 subscribers. With a PostgreSQL URL the database named is dropped and
created afresh (it must not be one you keep), and the default is 1,000,000 subscribers.

1. The demo city's districts (the generator of `manage.py demo`, its default seed) are laid out; N
   subscribers are spread uniformly over them and bulk-loaded (COPY on PostgreSQL): a share S
   (default 5 %) are accounts with a home address (alerted on their in-app inbox and by email),
   the rest subscribed without an account, 9 in 10 by email (encrypted at rest, as stored by
   the portal) and 1 in 10 by text message. 1 in 1,000 is a test recipient.
2. For three areas (one district, a polygon over about 10 % of the city, the whole city) an
   alert is published and:
   - `resolve`: `targeting.recipients_in(area)` (what `fan_out_alert` runs), timed, then
     checked against a brute-force shapely test of every subscriber's point against the area
     plus margin: zero recipients outside, zero missed inside;
   - `enqueue`: every `fan_out_batch` task of the alert run by W worker processes (default 2)
     sharing the list of batches, as W workers of the task queue would: notifications and
     deliveries written, send tasks queued on the configured task backend (database unless
     TASKS_BACKEND=rq). Timed from the first batch to the last commit; deliveries per second.
3. With --serve-seconds > 0 (and ALERTS-CORE's pages mounted), one more process fetches the
   emergency page (/) and the CAP feed (/alerts/feed.atom) in a loop while the whole-city
   fan-out runs, and p50/p99 of their response times are printed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

SEED = 7
SQLITE_DEFAULT_SUBSCRIBERS = 100_000
POSTGRES_DEFAULT_SUBSCRIBERS = 1_000_000
LOAD_CHUNK = 50_000


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database `url` names, through the server's `postgres` database."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def set_up_django(database_url: str) -> None:
    os.environ["CITYHALL_ENV"] = "test"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def city_districts() -> list[tuple[str, Any]]:
    """(code, lon/lat shape) of each district of the demo city."""
    from cityhall.demo.generator.city import DEFAULT_SEED
    from cityhall.demo.generator.geography import to_lonlat
    from cityhall.demo.generator.streets import generate_ground

    ground = generate_ground(random.Random(DEFAULT_SEED))
    return [(district.code, to_lonlat(district.shape)) for district in ground.districts]


def spread_points(count: int, districts: list[tuple[str, Any]], rng: Any) -> Any:
    """`count` (longitude, latitude) points uniform over the districts (numpy array)."""
    import numpy as np
    import shapely

    city = shapely.union_all([shape for _code, shape in districts])
    shapely.prepare(city)
    west, south, east, north = city.bounds
    found: list[Any] = []
    total = 0
    while total < count:
        xs = rng.uniform(west, east, count)
        ys = rng.uniform(south, north, count)
        inside = shapely.contains_xy(city, xs, ys)
        found.append(np.column_stack([xs[inside], ys[inside]]))
        total += int(inside.sum())
    return np.concatenate(found)[:count]


def create_accounts(count: int) -> list[int]:
    from cityhall.accounts.models import User

    for start in range(0, count, 5_000):
        User.objects.bulk_create(
            User(email=f"resident{index}@example.org", preferred_language=("en", "fr")[index % 2])
            for index in range(start, min(start + 5_000, count))
        )
    return list(User.objects.order_by("id").values_list("id", flat=True))


def subscriber_rows(points: Any, user_ids: list[int], rng: random.Random) -> Any:
    """The rows of alerts_alertsubscriber, as stored (contacts encrypted, digests computed)."""
    import uuid

    import h3
    from django.utils import timezone

    from cityhall.alerts.targeting import subscriber_h3_resolution
    from cityhall.core.encrypted_fields import encrypt_text, normalised_for_digest
    from cityhall.core.field_keys import keyed_digest

    resolution = subscriber_h3_resolution()
    now = timezone.now()
    for index, (longitude, latitude) in enumerate(points.tolist()):
        user_id = user_ids[index] if index < len(user_ids) else None
        email = phone = ""
        channel = ""
        if user_id is None:
            if index % 10 == 0:
                channel, phone = "sms", f"+1514{index:07d}"
            else:
                channel, email = "email", f"neighbour{index}@example.org"
        yield (
            uuid.uuid4(), now, now, user_id,
            encrypt_text(email, context="alerts_alertsubscriber.email"),
            keyed_digest(normalised_for_digest(email)) if email else "",
            encrypt_text(phone, context="alerts_alertsubscriber.phone_number"),
            keyed_digest(normalised_for_digest(phone)) if phone else "",
            channel, ("en", "fr")[rng.random() < 0.45],
            "home" if user_id else "address", "", latitude, longitude,
            h3.latlng_to_cell(latitude, longitude, resolution), now, index % 1000 == 0,
        )  # fmt: skip


SUBSCRIBER_COLUMNS = (
    "public_id", "created_at", "updated_at", "user_id", "email", "email_digest",
    "phone_number", "phone_number_digest", "channel", "language", "kind", "postal_code",
    "latitude", "longitude", "h3_cell", "confirmed_at", "is_test_recipient",
)  # fmt: skip


def load_subscribers(count: int, account_share: float, districts: list[tuple[str, Any]]) -> Any:
    """Spread and load `count` subscribers; returns their (id, longitude, latitude) arrays."""
    import numpy as np
    from django.db import connection

    rng = np.random.default_rng(SEED)
    points = spread_points(count, districts, rng)
    user_ids = create_accounts(int(count * account_share))
    rows = subscriber_rows(points, user_ids, random.Random(SEED))
    columns = ", ".join(SUBSCRIBER_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY alerts_alertsubscriber ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(SUBSCRIBER_COLUMNS))
            insert = f"INSERT INTO alerts_alertsubscriber ({columns}) VALUES ({marks})"  # noqa: S608 (fixed names)
            batch: list[Any] = []
            for row in rows:
                batch.append(
                    tuple(value.hex if hasattr(value, "hex") and not isinstance(value, float)
                          else value for value in row)
                )  # fmt: skip
                if len(batch) == LOAD_CHUNK:
                    cursor.executemany(insert, batch)
                    batch = []
            if batch:
                cursor.executemany(insert, batch)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE alerts_alertsubscriber")
    return stored_points()


def forget_earlier_runs() -> None:
    """Empty what earlier runs queued, so that a run with --reuse starts as a fresh one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_delivery, notifications_notification, "
            "django_tasks_database_dbtaskresult CASCADE"
        )


def stored_points() -> Any:
    """(id, longitude, latitude, is test recipient) of every confirmed subscriber."""
    import numpy as np
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, longitude, latitude, is_test_recipient FROM alerts_alertsubscriber "
            "WHERE confirmed_at IS NOT NULL"
        )
        return np.array(cursor.fetchall(), dtype=float)


def areas(districts: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """One district; a rectangle over about 10 % of the city's area; the whole city."""
    import shapely
    from shapely.geometry import box

    city = shapely.union_all([shape for _code, shape in districts])
    west, south, east, north = city.bounds
    # A band across the city, its width tuned until it holds 10 % of the city's area.
    low, high = 0.0, 1.0
    for _step in range(30):
        middle = (low + high) / 2
        centre = (west + east) / 2
        half = (east - west) * middle / 2
        band = box(centre - half, south, centre + half, north)
        if band.intersection(city).area < 0.1 * city.area:
            low = middle
        else:
            high = middle
    band = box(centre - half, south, centre + half, north)
    code, district = max(districts, key=lambda each: each[1].area)
    return [
        (f"district {code}", district),
        ("polygon over 10% of the city", band),
        ("whole city", city),
    ]


def publish(area: Any, name: str) -> Any:
    """A published, Actual and Severe alert over `area`, with texts in English and French."""
    import datetime as dt

    from django.utils import timezone
    from shapely.geometry import mapping

    from cityhall.accounts.models import User
    from cityhall.alerts.models import Alert, AlertText

    drafter, _created = User.objects.get_or_create(email="drafter@example.org")
    approver, _created = User.objects.get_or_create(email="approver@example.org")
    now = timezone.now()
    alert = Alert.objects.create(
        sender="alerts@cityhall.example",
        category=Alert.Category.MET,
        urgency=Alert.Urgency.IMMEDIATE,
        severity=Alert.Severity.SEVERE,
        certainty=Alert.Certainty.LIKELY,
        onset=now,
        expires=now + dt.timedelta(hours=6),
        web="https://cityhall.example/alerts/flood",
        area=mapping(area),
        area_kind=Alert.AreaKind.POLYGON,
        state=Alert.State.PUBLISHED,
        drafted_by=drafter,
        approved_by=approver,
        published_at=now,
    )
    for language, headline, short in (
        ("en", "Flood warning", "Flood warning: move away from the river now."),
        ("fr", "Avertissement d'inondation", "Inondation : éloignez-vous de la rivière."),
    ):
        AlertText.objects.create(
            alert=alert,
            language=language,
            event=headline,
            headline=headline,
            description=short,
            short_text=short,
            area_description=name,
        )
    return alert


def brute_force(points: Any, area: Any) -> set[int]:
    """The subscriber ids whose point lies in the area plus margin, tested one by one."""
    import shapely

    from cityhall.alerts.targeting import area_margin_metres, grown_area

    grown = grown_area(area, area_margin_metres())
    inside = shapely.intersects_xy(grown, points[:, 1], points[:, 2])
    return {int(value) for value in points[inside, 0]}


def run_batches(alert_id: int, batches: list[list[int]], head: Any, done: Any) -> None:
    """A worker process: run the next `fan_out_batch` until none is left."""
    from django.db import connection

    from cityhall.alerts.fanout import fan_out_batch

    connection.close()  # a connection of its own, not the parent's
    added = 0
    try:
        while True:
            with head.get_lock():
                index = head.value
                head.value += 1
            if index >= len(batches):
                break
            added += fan_out_batch.call(alert_id, batches[index])
    except BaseException:
        done.put(None)  # the parent stops instead of waiting for this worker forever
        raise
    done.put(added)


def enqueue(alert: Any, ids: list[int], workers: int) -> tuple[float, int]:
    """Run every batch of the alert with `workers` processes; (seconds, deliveries added)."""
    from django.db import connection

    from cityhall.alerts.fanout import FAN_OUT_BATCH_SIZE
    from cityhall.alerts.subscription_links import stop_url

    batches = [
        ids[start : start + FAN_OUT_BATCH_SIZE] for start in range(0, len(ids), FAN_OUT_BATCH_SIZE)
    ]
    context = multiprocessing.get_context("fork")
    head, done = context.Value("i", 0), context.Queue()
    # The routes are loaded once here (stop links reverse them), not once per worker.
    stop_url(alert.public_id, "en")
    connection.close()
    started = time.perf_counter()
    processes = [
        context.Process(target=run_batches, args=(alert.id, batches, head, done))
        for _worker in range(workers)
    ]
    for process in processes:
        process.start()
    results = [done.get() for _process in processes]
    for process in processes:
        process.join()
    if None in results:
        raise SystemExit("A worker failed: see its traceback above.")
    return time.perf_counter() - started, sum(results)


def serve(paths: list[str], stop: Any, results: Any) -> None:
    """Fetch `paths` in turn until `stop` is set; report {path: [seconds, …]}."""
    from django.db import connection
    from django.test import Client

    connection.close()
    client = Client()
    timings: dict[str, list[float]] = {path: [] for path in paths}
    statuses: dict[str, int] = {}
    while not stop.is_set():
        for path in paths:
            started = time.perf_counter()
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="localhost")
            timings[path].append(time.perf_counter() - started)
            statuses[path] = response.status_code
    results.put((timings, statuses))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(points: Any, districts: list[tuple[str, Any]], args: argparse.Namespace) -> None:
    from django.db import connection

    from cityhall.alerts.fanout import subscriber_ids_for

    for name, area in areas(districts):
        alert = publish(area, name)
        started = time.perf_counter()
        ids = subscriber_ids_for(alert)
        resolved = time.perf_counter() - started
        expected = brute_force(points, area)
        found = set(ids)
        outside, missed = len(found - expected), len(expected - found)
        print(
            f"{name}: {len(ids):,} recipients resolved in {resolved:.2f} s; "
            f"outside area+margin: {outside}, missed inside: {missed}"
        )
        serving = None
        if args.serve_seconds and name == "whole city":
            serving = start_serving()
        seconds, added = enqueue(alert, ids, args.workers)
        if serving is not None:
            report_serving(*serving)
        print(
            f"{name}: {added:,} deliveries enqueued in {seconds:.1f} s "
            f"({added / seconds:,.0f}/s with {args.workers} workers)"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM notifications_delivery")
            print(f"  deliveries in the database so far: {cursor.fetchone()[0]:,}")


def start_serving() -> tuple[Any, Any, Any]:
    context = multiprocessing.get_context("fork")
    stop, results = context.Event(), context.Queue()
    process = context.Process(target=serve, args=(["/en/", "/alerts/feed.atom"], stop, results))
    process.start()
    return process, stop, results


def report_serving(process: Any, stop: Any, results: Any) -> None:
    stop.set()
    timings, statuses = results.get()
    process.join()
    for path, values in timings.items():
        if statuses.get(path) != 200:
            print(f"  {path}: not measured (answered {statuses.get(path)}; pages not mounted?)")
            continue
        print(
            f"  {path} during the fan-out: {len(values)} requests, "
            f"p50 {statistics.median(values) * 1000:.1f} ms, "
            f"p99 {percentile(values, 0.99) * 1000:.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=None)
    parser.add_argument("--account-share", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--serve-seconds", type=int, default=0)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the subscribers an earlier run loaded into --database-url",
    )
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        is_postgres = url.startswith("postgres")
        if is_postgres and not args.reuse:
            recreate_postgres_database(url)
        count = args.subscribers or (
            POSTGRES_DEFAULT_SUBSCRIBERS if is_postgres else SQLITE_DEFAULT_SUBSCRIBERS
        )
        set_up_django(url)
        districts = city_districts()
        started = time.perf_counter()
        if args.reuse:
            forget_earlier_runs()
        points = (
            stored_points()
            if args.reuse
            else load_subscribers(count, args.account_share, districts)
        )
        count = len(points)
        print(
            f"{count:,} subscribers over {len(districts)} districts ready in "
            f"{time.perf_counter() - started:.0f} s ({'PostgreSQL' if is_postgres else 'SQLite'})"
        )
        measure(points, districts, args)


if __name__ == "__main__":
    main()
