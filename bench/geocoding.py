"""Geocoding and reverse-geocoding latency over a synthetic city of 100,000 addresses.

Run: .venv/bin/python bench/geocoding.py [--addresses N] [--queries N]

Builds a throw-away SQLite database in a temporary directory, imports a 10 x 10 grid of
districts and the addresses through the public import services, then times `geocode`
(exact, accent-free, abbreviated and misspelt queries), `district_for_point` and
`nearest_address`, and prints p50/p99 latencies and the geocoding hit rate. Timings are
taken after one unmeasured pass of queries, as in a long-running server process.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
SOUTH, WEST, GRID, CELL_DEGREES = 45.40, -73.75, 10, 0.03
STREET_TYPES = ["Rue", "Avenue", "Boulevard", "Chemin", "Place", "Rue"]
LINKS = ["des", "du", "de la", "", "Saint-", "Sainte-"]
NAMES = [
    "Érables", "Pins", "Ormes", "Cèdres", "Bouleaux", "Peupliers", "Chênes", "Trembles",
    "Frênes", "Noyers", "Parc", "Lac", "Moulin", "Pont", "Fleuve", "Château", "Église",
    "Marché", "Denis", "Laurent", "Hubert", "Urbain", "Catherine", "Joseph", "Zotique",
    "Viateur", "Grégoire", "Sherbrooke", "Ontario", "Rachel", "Beaubien", "Bélanger",
    "Jarry", "Fleury", "Gouin", "Lajeunesse", "Papineau", "Iberville", "Frontenac",
    "Mont-Royal", "Côte-Vertu", "Décarie", "Monkland", "Sommerled", "Cavendish", "Newman",
]  # fmt: skip
ABBREVIATIONS = {"Rue": "r.", "Avenue": "ave", "Boulevard": "boul.", "Chemin": "ch.",
                 "Saint-": "St-", "Sainte-": "Ste-"}  # fmt: skip


def set_up_django(directory: Path) -> None:
    os.environ["CITYHALL_ENV"] = "test"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def district_grid() -> io.StringIO:
    features = []
    for row in range(GRID):
        for column in range(GRID):
            south, west = SOUTH + row * CELL_DEGREES, WEST + column * CELL_DEGREES
            ring = [[west, south], [west + CELL_DEGREES, south],
                    [west + CELL_DEGREES, south + CELL_DEGREES], [west, south + CELL_DEGREES],
                    [west, south]]  # fmt: skip
            features.append({
                "type": "Feature",
                "properties": {"name": f"District {row}-{column}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            })  # fmt: skip
    return io.StringIO(json.dumps({"type": "FeatureCollection", "features": features}))


def street_names(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        link = rng.choice(LINKS)
        name = rng.choice(NAMES)
        if rng.random() < 0.7:
            name = f"{name}-{rng.choice(NAMES)}"
        joined = f"{link}{name}" if link.endswith("-") else f"{link} {name}".strip()
        names.add(f"{rng.choice(STREET_TYPES)} {joined}")
    return sorted(names)


def address_register(count: int, rng: random.Random) -> tuple[io.StringIO, list[dict[str, Any]]]:
    per_street = 100
    streets = street_names(count // per_street, rng)
    rows: list[dict[str, Any]] = []
    span = GRID * CELL_DEGREES
    for index, street in enumerate(streets):
        start_lat, start_lon = SOUTH + rng.random() * span, WEST + rng.random() * span
        heading_lat, heading_lon = rng.uniform(-1, 1) * 0.0001, rng.uniform(-1, 1) * 0.0001
        offset = (index % 50) * 2
        for step in range(per_street):
            rows.append({
                "id": f"{index}-{step}", "civic_number": str(offset + 2 * step + 1),
                "street_name": street, "unit": "", "postal_code": "", "municipality": "Bench",
                "latitude": round(start_lat + heading_lat * step, 7),
                "longitude": round(start_lon + heading_lon * step, 7),
            })  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out, rows


def misspelt(text: str, rng: random.Random) -> str:
    """Swap two neighbouring letters of the street's longest word (not across a hyphen)."""
    words = text.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    pairs = [i for i in range(len(word) - 1) if word[i].isalpha() and word[i + 1].isalpha()]
    if pairs:
        i = rng.choice(pairs)
        words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def abbreviated(text: str) -> str:
    for long, short in ABBREVIATIONS.items():
        text = text.replace(long, short)
    return text


def query_for(row: dict[str, Any], style: str, rng: random.Random) -> str:
    from unidecode import unidecode

    street = row["street_name"]
    if style == "accent-free":
        street = unidecode(street).lower()
    elif style == "abbreviated":
        street = abbreviated(street)
    elif style == "misspelt":
        street = misspelt(street, rng)
    return f"{row['civic_number']} {street}"


def timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """Run `call`; return its wall-clock and CPU milliseconds and its result.

    CPU time is shown beside wall time because other processes on a shared machine inflate
    the wall-clock tail without the code doing more work.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result


def percentiles(walls: list[float], cpus: list[float]) -> str:
    wall = statistics.quantiles(walls, n=100, method="inclusive")
    cpu = statistics.quantiles(cpus, n=100, method="inclusive")
    return (
        f"p50 {wall[49]:6.2f} ms  p99 {wall[98]:7.2f} ms  "
        f"(CPU p50 {cpu[49]:6.2f} ms  p99 {cpu[98]:6.2f} ms)"
    )


def bench_geocode(rows: list[dict[str, Any]], queries: int, rng: random.Random) -> None:
    from cityhall.places.selectors import geocode

    for row in rng.sample(rows, queries):  # Warm the page cache and the street-name cache.
        geocode(query_for(row, "exact", rng))
    for style in ("exact", "accent-free", "abbreviated", "misspelt"):
        walls, cpus, hits = [], [], 0
        for row in rng.sample(rows, queries):
            query = query_for(row, style, rng)
            wall, cpu, matches = timed(partial(geocode, query))
            walls.append(wall)
            cpus.append(cpu)
            hits += bool(matches) and matches[0].address.source_id == row["id"]
        print(f"geocode {style:18} {percentiles(walls, cpus)}  top-1 hits {hits / queries:6.1%}")


def bench_reverse(queries: int, rng: random.Random) -> None:
    from cityhall.places.selectors import district_for_point, nearest_address

    span = GRID * CELL_DEGREES
    points = [(SOUTH + rng.random() * span, WEST + rng.random() * span) for _ in range(queries)]
    for latitude, longitude in points:  # Warm the prepared-boundary cache and the page cache.
        district_for_point(latitude, longitude)
        nearest_address(latitude, longitude)
    lookups: list[tuple[str, Callable[[float, float], object]]] = [
        ("district_for_point", district_for_point),
        ("nearest_address", nearest_address),
    ]
    for name, call in lookups:
        walls, cpus, found = [], [], 0
        for latitude, longitude in points:
            wall, cpu, result = timed(partial(call, latitude, longitude))
            walls.append(wall)
            cpus.append(cpu)
            found += result is not None
        print(f"{name:26} {percentiles(walls, cpus)}  found {found / queries:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    arguments = parser.parse_args()
    rng = random.Random(20_261_125)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="cityhall-bench-") as directory:
        set_up_django(Path(directory))
        from cityhall.places.models import Address
        from cityhall.places.services import import_addresses, import_districts

        import_districts(source=district_grid(), actor=None)
        register, rows = address_register(arguments.addresses, rng)
        elapsed, _cpu, report = timed(lambda: import_addresses(source=register, actor=None))
        in_district = Address.objects.filter(district__isnull=False).count()
        print(f"imported {report.created:,} addresses in {elapsed / 1000:.1f} s "
              f"({in_district:,} in a district)")  # fmt: skip
        bench_geocode(rows, arguments.queries, rng)
        bench_reverse(arguments.queries, rng)


if __name__ == "__main__":
    main()
