"""Audit the locked dependencies for known vulnerabilities with pip-audit, and say plainly what was
not audited.

pip-audit asks PyPI's vulnerability service about each pinned package. Where that service cannot
be reached (an offline machine, or a mirror that serves only the package index), pip-audit skips
the package and still says "No known vulnerabilities found"; this script counts the skipped
packages and prints them as not audited instead, so a green check never claims more than it saw.

Exit status: 1 when a locked package has a known vulnerability that is not accepted below,
2 when pip-audit itself failed, 0 otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOCK_FILE = Path(__file__).resolve().parent.parent / "requirements.lock"
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"

#: Advisories accepted after review, each with the reason it does not affect CityHall.
ACCEPTED: dict[str, str] = {}


def main() -> int:
    command = [str(PIP_AUDIT), "--disable-pip", "--no-deps", "--requirement", str(LOCK_FILE)]
    command += ["--format", "json", "--progress-spinner", "off"]
    for advisory in ACCEPTED:
        command += ["--ignore-vuln", advisory]
    finished = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(finished.stdout)
    except json.JSONDecodeError:
        print(finished.stderr or finished.stdout, file=sys.stderr)  # noqa: T201
        return 2
    dependencies = report.get("dependencies", [])
    skipped = [item for item in dependencies if "skip_reason" in item]
    vulnerable = [item for item in dependencies if item.get("vulns")]
    for item in vulnerable:
        for vuln in item["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            print(f"{item['name']} {item['version']}: {vuln['id']} (fixed in {fixes})")  # noqa: T201
    audited = len(dependencies) - len(skipped)
    print(  # noqa: T201
        f"pip-audit: {audited} of {len(dependencies)} locked packages audited, "
        f"{len(vulnerable)} with known vulnerabilities."
    )
    if skipped:
        print(  # noqa: T201
            f"pip-audit: {len(skipped)} packages NOT audited ({skipped[0]['skip_reason']}); "
            "the vulnerability service was not reachable from this machine."
        )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
