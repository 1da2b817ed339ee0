"""Background jobs of the privacy domain. Each takes ids and re-reads the rows.

Link tokens are made here, when the email is written, so that they never sit in the queue.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from cityhall.accounts.emails import send_account_email
from cityhall.accounts.models import User
from cityhall.privacy.links import make_closure_token, make_export_token
from cityhall.privacy.models import AccountClosure, DataExport
from cityhall.privacy.services import closures, exports

logger = logging.getLogger(__name__)

EMAIL_FOLDER = "privacy/email"


def _link(user: User, view_name: str, **kwargs: Any) -> str:
    """An absolute link to a portal page, in the recipient's language."""
    with translation.override(user.preferred_language):
        path = reverse(view_name, kwargs=kwargs)
    return f"{settings.CITYHALL_BASE_URL.rstrip('/')}{path}"


@task()
def build_data_export(export_id: int) -> bool:
    """Build a pending export's ZIP and queue the email that says it is ready.

    A failure marks the export failed (the person may ask again) and is raised for the log.
    """
    try:
        export = exports.build_export_file(export_id=export_id)
    except Exception:
        DataExport.objects.filter(id=export_id, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.FAILED
        )
        raise
    if export is None:
        return False
    send_data_export_ready.enqueue(export.id)
    return True


@task(queue_name="email")
def send_data_export_ready(export_id: int) -> bool:
    """Email the owner of a ready export the link to download it (it expires with the file)."""
    export = (
        DataExport.objects.select_related("user")
        .filter(id=export_id, status=DataExport.Status.READY, user__is_active=True)
        .first()
    )
    if export is None:
        return False
    token = make_export_token(str(export.public_id))
    send_account_email(
        user=export.user,
        template="export_ready",
        folder=EMAIL_FOLDER,
        context={
            "link": _link(export.user, "portal:download_data_export", token=token),
            "expires_at": export.expires_at,
            "days": settings.PRIVACY_EXPORT_DAYS,
        },
    )
    return True


@task()
def sweep_data_exports() -> int:
    """Delete expired exports' files, and build exports whose task was lost."""
    expired = exports.expire_data_exports()
    for export_id in exports.exports_left_waiting():
        build_data_export.enqueue(export_id)
    return expired


@task(queue_name="email")
def send_closure_confirmation(closure_id: int) -> bool:
    """Email the link that confirms an account closure."""
    closure = (
        AccountClosure.objects.select_related("user")
        .filter(id=closure_id, status=AccountClosure.Status.AWAITING_CONFIRMATION)
        .first()
    )
    if closure is None or closure.user is None:
        return False
    token = make_closure_token(str(closure.public_id))
    send_account_email(
        user=closure.user,
        template="closure_confirmation",
        folder=EMAIL_FOLDER,
        context={
            "link": _link(closure.user, "portal:confirm_account_closure", token=token),
            "days": settings.PRIVACY_CLOSURE_GRACE_DAYS,
        },
    )
    return True


@task()
def carry_out_due_closures() -> int:
    """Erase the people whose confirmed closure's grace period is over; returns how many."""
    done = 0
    for closure_id in closures.closures_due():
        done += closures.carry_out_account_closure(closure_id=closure_id)
    return done
