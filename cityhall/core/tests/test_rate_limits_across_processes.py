"""Limits hold across separate processes sharing the counting cache (database or Redis).

Each test starts real Python processes, as granian's workers are, that count against the
same SQLite file or Redis database at the same moment; exactly the limit gets through.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from cityhall.core.testing import require_or_skip, server_is_listening

ROOT = Path(__file__).resolve().parents[3]
PROCESSES = 3

# Run by each process: set Django up, wait for the others, count, print what got through.
_CHILD = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from cityhall.accounts import sign_in_limits
from cityhall.core.errors import RateLimited
from cityhall.core.ratelimit import count_hit

barrier = Path(os.environ["BARRIER"])
(barrier / f"ready-{os.getpid()}").touch()
while not (barrier / "go").exists():
    time.sleep(0.01)
passed = 0
for _ in range(int(os.environ["TRIES"])):
    if os.environ["WHAT"] == "hits":
        try:
            count_hit(bucket="api.callers", identity=os.environ["IDENTITY"], now=1_800_000_000.0)
            passed += 1
        except RateLimited:
            pass
    else:
        # A wrong password, as sign_in_with_password handles it: claim, check, count.
        who = {"scope": "password", "email": os.environ["IDENTITY"], "ip_address": os.environ["IP"]}
        if sign_in_limits.claim_attempt(**who) == 0:
            passed += 1
            sign_in_limits.count_failure(**who)
print(passed)
"""


def _run_together(cache_url: str, tmp_path: Path, *, what: str, tries: int) -> list[int]:
    """Start PROCESSES children counting `tries` times each; return what each let through."""
    database = tmp_path / "shared.sqlite3"
    env = {
        **{key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CITYHALL_ENV": "test",
        "DATABASE_URL": f"sqlite:///{database}",
        "RATE_LIMIT_CACHE_URL": cache_url,
        "RATE_LIMIT_API_CALLERS": "50/minute",
        "SIGN_IN_MAX_FAILURES": "5",
        "BARRIER": str(tmp_path),
        # Fresh for each run, since Redis keeps the counts of earlier runs.
        "IDENTITY": f"test-{uuid.uuid4().hex}@example.org",
        "IP": f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}",
        "WHAT": what,
        "TRIES": str(tries),
    }
    command = [sys.executable, "manage.py", "createcachetable"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    children = [
        subprocess.Popen(  # noqa: S603 (fixed arguments)
            [sys.executable, "-c", _CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(PROCESSES)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < PROCESSES and time.monotonic() < deadline:
        time.sleep(0.05)
    (tmp_path / "go").touch()
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert all(child.returncode == 0 for child in children)
    return [int(output.strip()) for output in outputs]


def _redis_url() -> str:
    require_or_skip(server_is_listening("127.0.0.1", 6379), "Redis is not running on 6379")
    return "redis://127.0.0.1:6379/15"


def test_processes_sharing_the_database_let_exactly_the_limit_through(tmp_path):
    passed = _run_together("db://", tmp_path, what="hits", tries=40)

    assert sum(passed) == 50


def test_processes_sharing_the_database_check_five_passwords_before_the_lock(tmp_path):
    checked = _run_together("db://", tmp_path, what="failures", tries=4)

    assert sum(checked) == 5


@pytest.mark.redis
def test_processes_sharing_redis_let_exactly_the_limit_through(tmp_path):
    passed = _run_together(_redis_url(), tmp_path, what="hits", tries=40)

    assert sum(passed) == 50


@pytest.mark.redis
def test_processes_sharing_redis_check_five_passwords_before_the_lock(tmp_path):
    checked = _run_together(_redis_url(), tmp_path, what="failures", tries=4)

    assert sum(checked) == 5
