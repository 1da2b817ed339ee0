"""How many processes, cores and bytes a city needs: the capacity model of docs/capacity.md.

Run: .venv/bin/python bench/capacity_model.py [--figure NAME=VALUE ...]

Multiplies the measured cost of each unit of work (CPU per filing, per page, per follow-up, per
email; bytes per request and per photo; each with the benchmark that measured it) by what a
city of 100,000, 1 million and 10 million residents asks at its busiest hour on a normal day,
on a storm day (20 times the filings and the reads), on a city-wide alert, and in the extreme
storm that brings a year of requests in one day. `--figure` replaces a measured cost or a
demand assumption (names as printed), so the table can follow new measurements.

Cores are sized for `TARGET_UTILISATION` of each core, so that a burst within the hour and a
lost machine do not queue everyone.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

#: Share of a core each process is planned to use at the busiest hour.
TARGET_UTILISATION = 0.6


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    source: str


#: What one unit of work costs, as measured (see docs/capacity.md for the commands).
COSTS = {
    "web_cpu_per_filing_ms": Figure(17.3, "ms", "cluster_faults.py: one web node, 7 Dec"),
    "db_cpu_per_filing_ms": Figure(5.6, "ms", "cluster_faults.py: primary and replication, 7 Dec"),
    "follow_up_cpu_ms": Figure(18.4, "ms", "followups.py: worker CPU per follow-up, 7 Dec"),
    "db_cpu_per_follow_up_ms": Figure(2.0, "ms", "estimate: its 9 queries, not measured"),
    "web_cpu_per_page_ms": Figure(2.1, "ms", "page_cost.py: anonymous page shared by Redis"),
    "db_cpu_per_page_ms": Figure(0.0, "ms", "page_cost.py: a shared page asks no query"),
    "web_cpu_per_signed_in_page_ms": Figure(14.0, "ms", "page_cost.py: status page, first visit"),
    "db_cpu_per_signed_in_page_ms": Figure(0.7, "ms", "requests_load.py: status page sessions"),
    "web_cpu_per_open311_read_ms": Figure(1.4, "ms", "open311_load.py: GET by id, cached"),
    "worker_cpu_per_email_ms": Figure(0.2, "ms", "email_throughput.py: pipelined SMTP"),
    "photo_cleaning_cpu_ms": Figure(90.0, "ms", "photo_cleaning.py: 12 MP JPEG"),
    "bytes_per_request": Figure(1300.0, "B", "seed_requests.py: 1.26 GB for 982,000 requests"),
    "bytes_per_photo": Figure(370_000.0, "B", "photo_cleaning.py: a cleaned 12 MP JPEG"),
}

#: What residents ask; assumptions, not measurements (change them with --figure).
DEMAND = {
    "filings_per_resident_year": Figure(0.5, "", "large North American 311 services: 0.3 to 0.6"),
    "busiest_month_factor": Figure(1.5, "x", "snow, leaves, potholes: a season's peak month"),
    "busiest_hour_share": Figure(0.12, "", "share of a day's filings in its busiest hour"),
    "anonymous_pages_per_filing": Figure(10.0, "", "home, services, a service, status pages"),
    "signed_in_pages_per_filing": Figure(3.0, "", "the reporter's own requests and answers"),
    "open311_reads_per_filing": Figure(4.0, "", "apps and partners polling"),
    "photo_share": Figure(0.3, "", "filings with photos, 1.5 photos each"),
    "storm_factor": Figure(20.0, "x", "a storm day against a normal day"),
    "alert_reach": Figure(0.6, "", "residents subscribed to alerts by email or push"),
    "alert_page_share": Figure(0.3, "", "residents who open the alert page"),
    "alert_minutes": Figure(15.0, "min", "the alert's fan-out and its page rush"),
}


@dataclass(frozen=True)
class Load:
    """Work per second at the busiest moment of a scenario."""

    filings: float
    anonymous_pages: float
    signed_in_pages: float
    open311_reads: float
    emails: float


def load(residents: int, scenario: str, f: dict[str, float]) -> Load:
    """The work per second `residents` ask in `scenario` (normal, storm, year, alert)."""
    per_day = residents * f["filings_per_resident_year"] / 365 * f["busiest_month_factor"]
    factor = {"normal": 1.0, "storm": f["storm_factor"], "year": 365 / f["busiest_month_factor"]}
    if scenario == "alert":
        seconds = f["alert_minutes"] * 60
        pages = residents * f["alert_page_share"] / seconds
        return Load(0, pages, 0, 0, residents * f["alert_reach"] / seconds)
    filings = per_day * factor[scenario] * f["busiest_hour_share"] / 3600
    return Load(
        filings=filings,
        anonymous_pages=filings * f["anonymous_pages_per_filing"],
        signed_in_pages=filings * f["signed_in_pages_per_filing"],
        open311_reads=filings * f["open311_reads_per_filing"],
        emails=filings,
    )


def cores(cpu_seconds_per_second: float) -> int:
    return max(1, math.ceil(cpu_seconds_per_second / TARGET_UTILISATION))


def plan(work: Load, f: dict[str, float]) -> tuple[int, int, int]:
    """Web processes (one core each), workers (one core each) and database cores."""
    ms = 1 / 1000
    web = (
        work.filings * f["web_cpu_per_filing_ms"]
        + work.anonymous_pages * f["web_cpu_per_page_ms"]
        + work.signed_in_pages * f["web_cpu_per_signed_in_page_ms"]
        + work.open311_reads * f["web_cpu_per_open311_read_ms"]
    ) * ms
    workers = (
        work.filings * f["follow_up_cpu_ms"]
        + work.filings * f["photo_share"] * 1.5 * f["photo_cleaning_cpu_ms"]
        + work.emails * f["worker_cpu_per_email_ms"]
    ) * ms
    database = (
        work.filings * (f["db_cpu_per_filing_ms"] + f["db_cpu_per_follow_up_ms"])
        + work.anonymous_pages * f["db_cpu_per_page_ms"]
        + work.signed_in_pages * f["db_cpu_per_signed_in_page_ms"]
    ) * ms
    return cores(web), cores(workers), cores(database)


def yearly_storage(residents: int, f: dict[str, float]) -> tuple[float, float]:
    """Gigabytes a year in the database and in the object store."""
    filings = residents * f["filings_per_resident_year"]
    database = filings * f["bytes_per_request"] / 1e9
    photos = filings * f["photo_share"] * 1.5 * f["bytes_per_photo"] / 1e9
    return database, photos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figure", action="append", default=[], metavar="NAME=VALUE")
    options = parser.parse_args()
    figures = {name: figure.value for name, figure in {**COSTS, **DEMAND}.items()}
    for assignment in options.figure:
        name, _, value = assignment.partition("=")
        if name not in figures:
            parser.error(f"unknown figure {name!r}; known: {', '.join(figures)}")
        figures[name] = float(value)
    for title, table in (("Measured costs", COSTS), ("Demand assumptions", DEMAND)):
        print(f"{title}:")
        for name, figure in table.items():
            print(f"  {name} = {figures[name]:g} {figure.unit}  ({figure.source})")
    print(
        "\n| residents | scenario | filings/s | pages/s | emails/s | web processes | workers "
        "| database cores | database GB/year | photos GB/year |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for residents in (100_000, 1_000_000, 10_000_000):
        database_gb, photos_gb = yearly_storage(residents, figures)
        for scenario in ("normal", "storm", "alert", "year"):
            work = load(residents, scenario, figures)
            web, workers, database = plan(work, figures)
            pages = work.anonymous_pages + work.signed_in_pages + work.open311_reads
            print(
                f"| {residents:,} | {scenario} | {work.filings:,.1f} | {pages:,.0f} | "
                f"{work.emails:,.0f} | {web} | {workers} | {database} | "
                f"{database_gb:,.1f} | {photos_gb:,.0f} |"
            )


if __name__ == "__main__":
    main()
