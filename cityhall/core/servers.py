"""`python -m cityhall.core.servers NAME`: is a real server the tests need listening on 127.0.0.1?

Exit status 0 when it is; 1 when it is missing and CI=true (the run must fail); 2 when it is
missing elsewhere (its tests are skipped, with the reason printed).
"""

from __future__ import annotations

import os
import socket
import sys

SERVERS = {"postgres": 5432, "redis": 6379, "rabbitmq": 5672}


def main(argv: list[str]) -> int:
    name = argv[1] if len(argv) > 1 else ""
    if name not in SERVERS:
        sys.stderr.write(f"usage: python -m cityhall.core.servers {{{'|'.join(SERVERS)}}}\n")
        return 1
    try:
        with socket.create_connection(("127.0.0.1", SERVERS[name]), timeout=2):
            return 0
    except OSError as error:
        reason = f"{name} is not listening on 127.0.0.1:{SERVERS[name]} ({error})"
    if os.environ.get("CI", "").lower() == "true":
        sys.stderr.write(f"FAIL: {reason}; CI=true requires it.\n")
        return 1
    sys.stdout.write(f"SKIPPED: the {name} test run, because {reason}.\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
