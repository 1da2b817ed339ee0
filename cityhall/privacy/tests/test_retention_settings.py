"""Each retention period is one environment variable, read and bounded when settings load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRINT_MONTHS = (
    "from django.conf import settings; "
    "print(settings.PRIVACY_RETENTION_MONTHS['servicerequests.closed_request_contacts'])"
)


def _shell(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    inherited = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    clean = {key: value for key, value in os.environ.items() if key in inherited}
    clean.update({"CITYHALL_ENV": "development", **env})
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "shell", "-c", PRINT_MONTHS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def _printed(result: subprocess.CompletedProcess[str]) -> str:
    # The shell announces the models it imported before the command's own output.
    return result.stdout.strip().splitlines()[-1]


def test_the_environment_sets_a_rules_months_in_place_of_its_default():
    assert _printed(_shell({})) == "24"
    assert _printed(_shell({"PRIVACY_RETENTION_REQUEST_CONTACTS_MONTHS": "36"})) == "36"


def test_a_period_of_zero_months_is_refused_at_start():
    result = _shell({"PRIVACY_RETENTION_REQUEST_CONTACTS_MONTHS": "0"})

    assert result.returncode != 0
    assert "PRIVACY_RETENTION_REQUEST_CONTACTS_MONTHS must be between 1 and 1200" in result.stderr
