"""No acknowledged submission is lost when the web server or PostgreSQL is killed mid-load.

Run: .venv/bin/python bench/durability.py --kill web --database-url URL [--reuse]
     .venv/bin/python bench/durability.py --kill postgres
     [--seconds S] [--kills K] [--concurrency C] [--count N]

Clients post GeoReport v2 requests (as in bench/requests_load.py) for S seconds; an answer
counts as acknowledged when it is a 2xx carrying a service_request_id. K times during the
run, at even intervals:

--kill web       the web server's whole process group (granian and its worker) gets SIGKILL,
                 then is started again; works on SQLite and PostgreSQL (URL as for
                 bench/seed_requests.py);
--kill postgres  the postmaster of a private PostgreSQL 15 cluster and its backends get
                 SIGKILL, then the cluster is started again (crash recovery). The cluster
                 (cluster/postgres.py) is created under /tmp as the `postgres` user and
                 listens on 127.0.0.1:55432 only; the shared server on 5432 is never
                 touched. It is stopped at the end (kept with --keep).

Afterwards every acknowledged id is looked up in the database, with the follow-up task
(duplicate scoring and confirmation) its filing queued in the task table. Prints
acknowledged, verified and lost counts, and follow-ups missing (both must be 0), with the
errors the clients saw meanwhile.
The database holds the demo city and `--count` requests (default: only the demo's).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent))
sys.path.insert(0, str(Path(__file__).absolute().parents[1]))

import loadgen
import seed_requests
import workload

from cluster.postgres import PostgresServer, primary_server

#: Only this benchmark writes there; the cluster is a throw-away.
CLUSTER = Path("/tmp/cityhall-bench-postgres")  # noqa: S108
CLUSTER_PORT = 55432


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kill", choices=["web", "postgres"], required=True)
    parser.add_argument("--database-url", help="Required with --kill web.")
    parser.add_argument("--reuse", action="store_true", help="Keep a database already seeded.")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="Leave the private cluster running.")
    options = parser.parse_args()

    cluster = (
        primary_server(CLUSTER, port=CLUSTER_PORT, database="cityhall_bench_durability")
        if options.kill == "postgres"
        else None
    )
    if cluster is not None:
        cluster.start()
        database_url = cluster.url
    elif options.database_url:
        database_url = options.database_url
    else:
        parser.error("--kill web needs --database-url")
    try:
        _run(options, database_url, cluster)
    finally:
        if cluster is not None and not options.keep:
            cluster.stop()


def _run(options: argparse.Namespace, database_url: str, cluster: PostgresServer | None) -> None:
    if not options.reuse:
        seed_requests.reset_database(database_url)
    seed_requests.setup_django(database_url)
    stored = seed_requests.prepare_database(database_url, count=options.count, timeline_share=0.3)
    from django.db import connection, connections

    pool = workload.submissions(2000)
    api_key = workload.create_open311_key()
    vendor = connection.vendor
    connections.close_all()

    cpus = loadgen.pinning()
    server = loadgen.Server(database_url, cpus=cpus)
    target = "the web server's process group" if cluster is None else "PostgreSQL's processes"
    loadgen.header(
        f"Durability on {vendor}, {stored:,} stored: SIGKILL {target} {options.kills} times",
        pinning=cpus.describe(),
        server=server.describe(),
        clients=f"{options.concurrency} closed-loop processes posting Open311 requests",
        run=f"{options.seconds:.0f} s",
    )
    kills: list[str] = []
    with loadgen.running(server):
        killer = threading.Thread(
            target=_kill_periodically, args=(options, server, cluster, kills), daemon=True
        )
        killer.start()
        outcome = loadgen.run_clients(
            "Open311 POST under kills",
            lambda client: workload.Open311Submissions(pool, api_key=api_key, client=client),
            port=server.port,
            seconds=options.seconds,
            concurrency=options.concurrency,
            cpus=cpus,
        )
        killer.join()
    for line in kills:
        print(f"   {line}")
    print(outcome.line())
    acknowledged = list(dict.fromkeys(outcome.reported))
    found = workload.stored_tracking_numbers(acknowledged)
    lost = len(set(acknowledged) - found)
    # The duplicate scoring and the confirmation wait in the task table: queued with the
    # filing, they must survive the kills too.
    followed = workload.queued_follow_ups(acknowledged)
    unqueued = len(found - followed)
    print(
        f"acknowledged {len(acknowledged):,}, verified {len(found):,}, lost {lost:,}; "
        f"follow-up tasks queued {len(followed):,}, missing {unqueued:,}"
        + (" — OK" if lost == unqueued == 0 and acknowledged else " — FAILED")
    )
    if lost or unqueued or not acknowledged:
        raise SystemExit(1)


def _kill_periodically(
    options: argparse.Namespace,
    server: loadgen.Server,
    cluster: PostgresServer | None,
    kills: list[str],
) -> None:
    interval = options.seconds / (options.kills + 1)
    started = time.monotonic() + 0.5  # the clients start half a second after forking
    for number in range(1, options.kills + 1):
        time.sleep(max(0.0, started + number * interval - time.monotonic()))
        at = time.monotonic() - started
        if cluster is None:
            server.kill()
            server.start()
        else:
            cluster.kill()
            cluster.start()
        back = time.monotonic() - started - at
        kills.append(f"kill {number} at {at:.1f} s; serving again after {back:.1f} s")


if __name__ == "__main__":
    main()
