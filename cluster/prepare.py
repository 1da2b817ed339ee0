"""`python -m cluster.prepare KEY_FILE [load_demo_city options]`: ready the tier's database.

Migrates, loads the demo city unless it is there and, when KEY_FILE does not exist yet, issues
the demo partner an Open311 key and writes it there (readable by its owner only). One process
does all three because each start of Django costs seconds on a busy machine. The environment
must name the primary itself, not PgBouncer (see cluster.application.prepare_database).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import django
from django.core.management import call_command

#: The demo partner whose Open311 key the tier issues, and the key's scopes.
DEMO_PARTNER = "Déneigement Saules-Nord inc."
DEMO_KEY_SCOPES = "open311:write,requests:read,requests:write"


def main(argv: list[str]) -> None:
    key_file, demo_args = Path(argv[0]), argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo_city", *demo_args)
    if key_file.exists():
        return
    output = io.StringIO()
    call_command(
        "create_api_key",
        partner=DEMO_PARTNER,
        scopes=DEMO_KEY_SCOPES,
        name="Local cluster",
        stdout=output,
    )
    key_file.touch(mode=0o600)
    key_file.write_text(output.getvalue().strip().splitlines()[-1])


if __name__ == "__main__":
    main(sys.argv[1:])
