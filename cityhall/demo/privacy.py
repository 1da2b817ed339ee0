"""The demo citizen's copy of their data: ready to download from "My data", as if they had
asked for it the day before, so that a newcomer sees the whole export without waiting for a
worker. Made through the privacy services, like any export.
"""

from __future__ import annotations

from collections.abc import Sequence

from cityhall.accounts.models import User
from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL
from cityhall.privacy.services.exports import (
    build_export_file,
    delete_data_exports_of,
    request_data_export,
)


def give_demo_citizen_an_export() -> bool:
    """Build a ready export for the demo citizen; False when they are not in the database."""
    citizen = User.objects.filter(email=DEMO_CITIZEN_EMAIL).first()
    if citizen is None:
        return False
    export = request_data_export(actor=citizen)
    return build_export_file(export_id=export.id) is not None


def delete_demo_exports(emails: Sequence[str]) -> int:
    """Delete the exports (and their files) of the demo's accounts, before the accounts go."""
    return sum(delete_data_exports_of(user) for user in User.objects.filter(email__in=emails))
