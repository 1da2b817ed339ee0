"""`python -m cityhall.demo.run`: serve the platform and its background work in one process group.

This is the embedded tier that `make run` starts: granian serving the WSGI app (one worker
per CPU, four threads each, unless `--workers`/`--threads` say otherwise), the database
task worker and the scheduler of periodic jobs, then the demo banner. Ctrl-C (or SIGTERM)
stops all three; if one exits, the others are stopped too.

Links in emails and notifications use `CITYHALL_BASE_URL`; when neither the environment nor
`.env` sets it, the three processes are given the address actually served, so
`make run PORT=8101` sends links to port 8101.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import django

from config.env import load_dotenv

#: Threads per web worker: requests mostly wait for the database, so a few share one GIL well.
THREADS_PER_WORKER = 4


def default_workers() -> int:
    """One web worker per CPU this process may use: a worker runs Python on one CPU at a time."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def served_base_url(host: str, port: int) -> str:
    """The address people reach the served site at: a wildcard host is named by this machine."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 (naming the wildcard, not binding)  # nosec B104
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def follow_served_address(dotenv: Path, base_url: str) -> str:
    """Set `CITYHALL_BASE_URL` to `base_url` in this process's environment (which the served
    processes inherit) unless the environment or the `dotenv` file already names one; return
    the base URL that links will use."""
    load_dotenv(dotenv)
    if not os.environ.get("CITYHALL_BASE_URL"):
        os.environ["CITYHALL_BASE_URL"] = base_url
    return os.environ["CITYHALL_BASE_URL"]


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
    served = served_base_url(options.host, options.port)
    follow_served_address(Path(__file__).resolve().parents[2] / ".env", served)

    processes = _start(options)

    def stop(signum: int, frame: FrameType | None) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    sys.stdout.write(_banner(served))
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
