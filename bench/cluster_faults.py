"""Faults under load: the local tier loses no acknowledged filing while its parts are killed.

Run: .venv/bin/python bench/cluster_faults.py [--seconds S] [--down D] [--concurrency C]
     [--faults web-1,worker-1,replica,redis] [--scaling 1,2,4] [--scaling-seconds S]
     [--skip-embedded] [--directory DIR]

1. The embedded tier (`python -m cityhall.demo.run`: granian, the database task worker and the
   scheduler, on SQLite with the demo city) takes the wave-1 load for S seconds: filings
   (Open311 POST with a partner key), citizen status pages and Open311 reads by id.
2. The local cluster (`cluster.tier.Tier`: PostgreSQL primary and replica, PgBouncer, Redis,
   the object store, HAProxy, web nodes, RQ workers, two schedulers) takes the same load for
   S seconds, then again while each part named by --faults is SIGKILLed, left down for D
   seconds and started again. For each fault: the answers that failed (5xx or no answer)
   from the kill until the part was back and the tier answered again, the time until the
   last of those failures, and how long the part took to come back.
3. After the load the benchmark waits for the follow-up work to finish, then checks every
   acknowledged filing against the primary (lost: acknowledged but not stored), every
   filing that gave an email against the mail the tier sent (missing: no confirmation;
   duplicated: more than one), and every filing against the webhook deliveries a receiver in
   this process got (the tier's subscription to `service_request.created`).
4. With 1, 2 and 4 web nodes in turn (--scaling), filings only: CPU seconds per filing in
   the web nodes and in PostgreSQL, and the time PostgreSQL sessions spent waiting for locks
   per filing (sampled from pg_stat_activity every 10 ms). Two cores cannot show throughput
   growing with nodes; these figures predict whether it would.

Webhooks need a receiver on 127.0.0.1, which production settings refuse
(OUTBOUND_ALLOW_LOOPBACK); the tier's CityHall processes therefore run here with
CITYHALL_ENV=development and every production setting given explicitly (see cluster/application.py),
and with rate limits off, since every client shares one address.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent))
sys.path.insert(0, str(Path(__file__).absolute().parents[1]))

import loadgen
import tier_checks
import tier_load

from cluster.tier import Layout, Tier

#: Settings the benchmark adds to the tier's (see the module docstring).
BENCH_ENV = {
    "CITYHALL_ENV": "development",
    "OUTBOUND_ALLOW_LOOPBACK": "true",
    "RATE_LIMIT_API_CALLERS": "off",
    "RATE_LIMIT_API_ADDRESSES": "off",
    "RATE_LIMIT_OPEN311_CALLERS": "off",
    "RATE_LIMIT_OPEN311_ADDRESSES": "off",
}
#: Seconds after a part is back during which failures still count against its fault.
SETTLE_SECONDS = 5.0


def main() -> None:
    options = _options()
    tier = Tier(
        options.directory,
        Layout(web_nodes=max(options.scaling), workers=2, schedulers=2, port_offset=-36000),
        extra_env=BENCH_ENV,
    )
    loadgen.header(
        "The local tier under the wave-1 load, with faults",
        tier=f"{tier.directory}, balancer {tier.balancer_url}",
        clients=f"{options.concurrency} closed-loop processes (a third filings, the rest reads)",
        faults=", ".join(options.faults) + f", each down {options.down:.0f} s",
    )
    tier.start()
    if not options.skip_embedded:
        print("\n-- embedded tier (`python -m cityhall.demo.run`: SQLite, database task queue)")
        mix = tier_checks.mix_for(tier)
        for line in tier_checks.embedded_wave(mix, options.seconds, options.concurrency):
            print(f"   {line}")
    receiver = tier_checks.WebhookReceiver()
    try:
        receiver.start()
        tier_checks.subscribe(tier, receiver.url)
        _faults(tier, options, receiver)
        _scaling(tier, options)
    finally:
        receiver.stop()
        tier.stop()


def _faults(tier: Tier, options: argparse.Namespace, receiver: tier_checks.WebhookReceiver) -> None:
    mix = tier_checks.mix_for(tier)
    port = tier.ports.balancer
    _enable_web_nodes(tier, 2)
    print("\n-- cluster, two web nodes, no fault")
    steady = tier_load.run_wave(
        mix, port=port, seconds=options.seconds, concurrency=options.concurrency
    )
    for line in steady.lines(options.seconds):
        print(f"   {line}")
    events: list[tier_checks.FaultEvent] = []
    injector = threading.Thread(
        target=tier_checks.inject_faults,
        args=(tier, options.faults, options.down, SETTLE_SECONDS, events),
    )
    length = tier_checks.fault_run_seconds(len(options.faults), options.down, SETTLE_SECONDS)
    injector.start()
    faulted = tier_load.run_wave(mix, port=port, seconds=length, concurrency=options.concurrency)
    injector.join()
    print(f"\n-- cluster, two web nodes, {length:.0f} s with the faults")
    for line in faulted.lines(length):
        print(f"   {line}")
    for event in events:
        print(f"   {tier_checks.fault_line(event, faulted)}")
    filings = steady.filings + faulted.filings
    print("\n-- after the run")
    for line in tier_checks.verify(tier, filings, receiver):
        print(f"   {line}")


def _enable_web_nodes(tier: Tier, count: int) -> None:
    """Run web nodes 1..count and stop the others; wait until the balancer sees them."""
    for number in range(1, tier.layout.web_nodes + 1):
        part = tier.part(f"web-{number}")
        if number <= count:
            part.start()
        else:
            part.stop()
    tier_checks.wait_for_nodes(tier, count)


def _scaling(tier: Tier, options: argparse.Namespace) -> None:
    mix = tier_checks.mix_for(tier, filing_share=1.0)
    print("\n-- CPU and lock waits per filing by web nodes (filings only)")
    first: tier_checks.CostPerFiling | None = None
    for count in options.scaling:
        _enable_web_nodes(tier, count)
        cost = tier_checks.cost_per_filing(
            tier, mix, nodes=count, seconds=options.scaling_seconds, concurrency=options.concurrency
        )
        first = first or cost
        print(f"   {cost.line(first)}")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--down", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--faults",
        type=lambda text: text.split(","),
        default=["web-1", "worker-1", "replica", "redis"],
    )
    parser.add_argument(
        "--scaling", type=lambda text: [int(n) for n in text.split(",")], default=[1, 2, 4]
    )
    parser.add_argument("--scaling-seconds", type=float, default=20.0)
    parser.add_argument("--skip-embedded", action="store_true")
    parser.add_argument("--directory", type=Path, default=Path("/tmp/cityhall-bench-tier"))  # noqa: S108
    return parser.parse_args()


if __name__ == "__main__":
    main()
