"""`python -m cluster start|stop|status`: the local production tier from one command.

    python -m cluster start --web-nodes 3 --workers 2   # make cluster
    python -m cluster status                            # make cluster-status
    python -m cluster stop                              # make cluster-stop

Everything lives under `--dir` (default $CLUSTER_DIR, else /tmp/cityhall-cluster): data,
configuration, logs and pid files. `start` on a directory that holds a stopped tier starts it
again with its data; `stop` and `status` use the layout saved by `start`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cluster.application import StepFailed
from cluster.processes import ServiceFailed
from cluster.servers import MissingServer
from cluster.tier import DEFAULT_DIRECTORY, Layout, Tier


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m cluster", description=__doc__)
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIRECTORY, help="the tier's directory")
    parser.add_argument("--web-nodes", type=int, default=2, help="granian web nodes (start)")
    parser.add_argument("--workers", type=int, default=2, help="RQ workers (start)")
    parser.add_argument("--schedulers", type=int, default=2, help="schedulers (start)")
    parser.add_argument(
        "--port-offset", type=int, default=0, help="added to every port (start; a second tier)"
    )
    return parser.parse_args(argv)


def _say(text: str, *, error: bool = False) -> None:
    (sys.stderr if error else sys.stdout).write(f"{text}\n")


def _print_status(tier: Tier) -> bool:
    """Print one line per part; True when every part runs."""
    lines = tier.status()
    for line in lines:
        state = f"running (pid {line.pid})" if line.pid else "stopped"
        port = f"{line.port}" if line.port else "-"
        _say(f"  {line.name:<14} {state:<22} port {port:<6} {line.log}")
    return all(line.pid for line in lines)


def _start(options: argparse.Namespace) -> int:
    layout = Layout(
        web_nodes=options.web_nodes,
        workers=options.workers,
        schedulers=options.schedulers,
        port_offset=options.port_offset,
    )
    saved = Layout.saved_in(options.dir)
    tier = Tier(options.dir, layout)
    if (
        saved is not None
        and saved != layout
        and any(line.pid for line in Tier(options.dir).status())
    ):
        _say(f"A tier with another layout runs in {options.dir}: stop it first.", error=True)
        return 1
    try:
        tier.start()
    except (MissingServer, ServiceFailed, StepFailed) as error:
        _say(str(error), error=True)
        _say("Stopping what started; `python -m cluster start` again to retry.", error=True)
        tier.stop()
        return 1
    _print_status(tier)
    _say(f"\nServing {tier.balancer_url} (the balancer in front of the web nodes).")
    _say(f"Open311 key of the demo partner: {tier.api_key}")
    _say(f"Emails sent: {tier.mail_directory}/new/. Stop with `make cluster-stop`.")
    return 0


def main(argv: list[str] | None = None) -> int:
    options = _arguments(argv)
    if options.command == "start":
        return _start(options)
    if Layout.saved_in(options.dir) is None:
        _say(f"No tier was started in {options.dir}.")
        return 0 if options.command == "stop" else 1
    tier = Tier(options.dir)
    if options.command == "stop":
        tier.stop()
        _say(
            f"Stopped the tier in {options.dir} (its data stays; delete the directory to drop it)."
        )
        return 0
    return 0 if _print_status(tier) else 3


if __name__ == "__main__":
    sys.exit(main())
