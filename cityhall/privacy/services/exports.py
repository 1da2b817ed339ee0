"""Copies of a person's data: asked for on the "my data" page, built by a task, fetched through
a signed link that expires with the file (settings PRIVACY_EXPORT_DAYS).

One export is prepared at a time per person, and at most EXPORTS_PER_DAY are made in a day:
an export reads everything the city holds about the person, which is worth doing only when
something changed.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, NotFound, RateLimited
from cityhall.privacy.erasure import delete_files_after_commit
from cityhall.privacy.export_files import write_export_zip
from cityhall.privacy.links import read_export_token
from cityhall.privacy.models import DataExport
from cityhall.privacy.registry import all_sources

if TYPE_CHECKING:
    from cityhall.accounts.models import User

EXPORTS_PER_DAY = 3
#: Where export files are kept in the media storage: never served directly, only through the
#: owner's signed link (portal's download view).
EXPORT_FOLDER = "private/exports"
#: An export still pending this long after it was asked for lost its task: the sweep builds it.
BUILD_GRACE = timedelta(minutes=10)

REQUESTED = "privacy.data_export_requested"
BUILT = "privacy.data_export_built"
DOWNLOADED = "privacy.data_export_downloaded"
EXPIRED = "privacy.data_export_expired"


def request_data_export(*, actor: User) -> DataExport:
    """Ask for a copy of `actor`'s own data; the task `build_data_export` prepares it.

    Raises Conflict while another export of theirs is being prepared, and RateLimited past
    EXPORTS_PER_DAY exports in 24 hours.
    """
    from cityhall.privacy.tasks import build_data_export

    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()  # one at a time
        mine = DataExport.objects.filter(user=actor)
        if mine.filter(status=DataExport.Status.PENDING).exists():
            raise Conflict(_("A copy of your data is already being prepared."))
        since = timezone.now() - timedelta(days=1)
        recent = mine.filter(created_at__gte=since).order_by("created_at")
        if recent.count() >= EXPORTS_PER_DAY:
            first = recent.first()
            assert first is not None
            wait = first.created_at + timedelta(days=1) - timezone.now()
            raise RateLimited(
                _("You asked for %(count)d copies today; try again tomorrow.")
                % {"count": EXPORTS_PER_DAY},
                retry_after=max(60, int(wait.total_seconds())),
            )
        export = DataExport.objects.create(user=actor)
        record_audit_event(actor=actor, action=REQUESTED, target=export)
        transaction.on_commit(lambda: build_data_export.enqueue(export.id))
    return export


def build_export_file(*, export_id: int) -> DataExport | None:
    """Write the ZIP of a pending export and mark it ready; None when it is not pending.

    The sources are read outside any long transaction; the row is then locked and updated,
    so that two workers never both publish a file, and a file whose export was erased while
    it was written is deleted.
    """
    export = DataExport.objects.select_related("user").filter(id=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return None
    with write_export_zip(export.user, all_sources()) as spool:
        name = default_storage.save(
            f"{EXPORT_FOLDER}/{uuid.uuid4().hex}.zip", File(spool, name="export.zip")
        )
        size = default_storage.size(name)
    with transaction.atomic():
        locked = DataExport.objects.select_for_update().filter(id=export_id).first()
        if locked is None or locked.status != DataExport.Status.PENDING:
            # Built twice, or its owner erased meanwhile: this file must not outlive the row.
            delete_files_after_commit([name])
            return None
        export = locked
        now = timezone.now()
        export.file_name = name
        export.size_bytes = size
        export.status = DataExport.Status.READY
        export.ready_at = now
        export.expires_at = now + timedelta(days=settings.PRIVACY_EXPORT_DAYS)
        export.save()
        record_audit_event(actor=None, action=BUILT, target=export, data={"bytes": size})
    return export


def get_export_for_download(*, actor: User, token: str) -> DataExport:
    """The ready export a download link names, if it is `actor`'s own and not expired.

    Raises NotFound otherwise (a forged, expired or someone else's link looks the same).
    """
    public_id = read_export_token(token)
    export = (
        DataExport.objects.filter(
            public_id=public_id,
            user=actor,
            status=DataExport.Status.READY,
            expires_at__gt=timezone.now(),
        ).first()
        if public_id is not None
        else None
    )
    if export is None:
        raise NotFound(_("This link has expired or is not yours."))
    record_audit_event(actor=actor, action=DOWNLOADED, target=export)
    return export


def expire_data_exports(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry and mark them expired; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            DataExport.objects.select_for_update(skip_locked=True).filter(
                status=DataExport.Status.READY, expires_at__lte=now
            )
        )
        delete_files_after_commit(export.file_name for export in due)
        DataExport.objects.filter(pk__in=[export.pk for export in due]).update(
            status=DataExport.Status.EXPIRED, file_name="", updated_at=now
        )
        for export in due:
            record_audit_event(actor=None, action=EXPIRED, target=export)
    return len(due)


def delete_data_exports_of(user: User) -> int:
    """Delete every export of `user` and, once the transaction commits, their files."""
    mine = DataExport.objects.filter(user=user)
    delete_files_after_commit(mine.exclude(file_name="").values_list("file_name", flat=True))
    return mine.delete()[0]


def exports_left_waiting(*, now: datetime | None = None) -> list[int]:
    """Ids of pending exports whose task was lost (older than BUILD_GRACE)."""
    cutoff = (now or timezone.now()) - BUILD_GRACE
    pending = DataExport.objects.filter(status=DataExport.Status.PENDING, created_at__lte=cutoff)
    return list(pending.values_list("id", flat=True)[:100])
