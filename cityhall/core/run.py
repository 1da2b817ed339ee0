"""`python -m cityhall.core.run`: serve the platform and its background work in one process group.

This is the embedded tier that `make run` starts: granian serving the WSGI app (one worker
per CPU, four threads each, unless `--workers`/`--threads` say otherwise), the database
task worker and the scheduler of periodic jobs. Ctrl-C (or SIGTERM) stops all three; if one
exits, the others are stopped too.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from types import FrameType

import django

#: Threads per web worker: requests mostly wait for the database, so a few share one GIL well.
THREADS_PER_WORKER = 4


def default_workers() -> int:
    """One web worker per CPU this process may use: a worker runs Python on one CPU at a time."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start(options: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    web = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", options.host,
        "--port", str(options.port), "--workers", str(options.workers),
        "--blocking-threads", str(options.threads), "--no-ws", "config.wsgi:application",
    ]  # fmt: skip
    worker = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--no-reload",
        "-v",
        "1",
    ]
    scheduler = [sys.executable, "manage.py", "run_scheduler"]
    return [subprocess.Popen(command) for command in (web, worker, scheduler)]  # noqa: S603


def _banner(base_url: str) -> str:
    # The banner reads the demo accounts from the database, so Django is set up first.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from cityhall.demo.banner import demo_banner

    return demo_banner(base_url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="web worker processes"
    )
    parser.add_argument(
        "--threads", type=int, default=THREADS_PER_WORKER, help="request threads per worker"
    )
    options = parser.parse_args()

    processes = _start(options)

    def stop(signum: int, frame: FrameType | None) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    sys.stdout.write(_banner(f"http://{options.host}:{options.port}"))
    sys.stdout.flush()
    while all(process.poll() is None for process in processes):
        time.sleep(0.5)
    stop(signal.SIGTERM, None)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return max(process.returncode or 0 for process in processes)


if __name__ == "__main__":
    sys.exit(main())
