"""Latency of the catalog's search box over the demo catalog.

Run: .venv/bin/python bench/catalog_search.py [--queries N]

Builds a throw-away SQLite database in a temporary directory, loads the demo city's catalog
(cityhall/demo/catalog_data.json) through `import_catalog`, then times `search_services` on
queries drawn from the services' own names and keywords in both languages: as written, without
accents, lower-cased, cut short as if still being typed, and with two letters swapped. Prints
the cold (index-building) time, p50/p99/max latencies, and how often the service the query
came from is among the first three results.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
DEMO_CATALOG = REPOSITORY / "cityhall" / "demo" / "catalog_data.json"


def set_up_django(directory: Path) -> None:
    os.environ["CITYHALL_ENV"] = "test"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def load_demo_catalog() -> dict[str, Any]:
    from cityhall.catalog.services import create_department, import_catalog

    data: dict[str, Any] = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    codes = {service["department"] for service in data["services"]}
    codes |= {rule["department"] for s in data["services"] for rule in s.get("routing", [])}
    for code in sorted(codes):
        create_department(code=code, name_en=code, name_fr=code, actor=None)
    import_catalog(source=data, actor=None)
    return data


def swap_two_letters(text: str, rng: random.Random) -> str:
    letters = [
        position for position in range(len(text) - 1) if text[position : position + 2].isalpha()
    ]
    if not letters:
        return text
    position = rng.choice(letters)
    return text[:position] + text[position + 1] + text[position] + text[position + 2 :]


def queries(data: dict[str, Any], count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(query, language, expected service code) triples."""
    from unidecode import unidecode

    sources = []
    for service in data["services"]:
        for language in ("en", "fr"):
            for text in [service[f"name_{language}"], *service[f"keywords_{language}"][:2]]:
                sources.append((text, language, service["code"]))

    def as_written(text: str) -> str:
        return text

    def plain(text: str) -> str:
        return str(unidecode(text)).lower()

    def cut_short(text: str) -> str:
        return text[: max(4, len(text) * 2 // 3)]

    def misspelt(text: str) -> str:
        return swap_two_letters(text, rng)

    variants = [as_written, plain, cut_short, misspelt]
    drawn = []
    for _ in range(count):
        text, language, code = rng.choice(sources)
        drawn.append((rng.choice(variants)(text), language, code))
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=5000)
    arguments = parser.parse_args()
    rng = random.Random(311)
    with tempfile.TemporaryDirectory() as directory:
        set_up_django(Path(directory))
        from cityhall.catalog.selectors import search_services

        data = load_demo_catalog()
        started = time.perf_counter()
        search_services("warm up", language="en")
        cold_ms = (time.perf_counter() - started) * 1000
        timings, hits = [], 0
        drawn = queries(data, arguments.queries, rng)
        for query, language, code in drawn:
            started = time.perf_counter()
            results = search_services(query, language=language, limit=10)
            timings.append((time.perf_counter() - started) * 1000)
            hits += code in [service.code for service in results[:3]]
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"services: {len(data['services'])}, queries: {len(timings)}")
    print(f"cold (builds the index): {cold_ms:.1f} ms")
    print(f"search_services p50 {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms, "
          f"max {timings[-1]:.2f} ms")  # fmt: skip
    print(f"expected service in the first three: {hits / len(timings):.1%}")


if __name__ == "__main__":
    main()
