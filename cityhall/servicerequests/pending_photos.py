"""Photos kept between two tries of a form, so that a citizen never chooses them twice.

When a form comes back with a mistake, the channel keeps each upload that passed the photo
checks (`keep_valid_photos`): the cleaned bytes, already without metadata, are stored under
`pending-photos/`, and the citizen's page carries a signed token naming them
(`pending_photos_token`). The next try reads the token back (`pending_photos_from_token`),
hands the files to `submit_service_request` with any new uploads (`open_pending_photos`),
and discards them once filed. Tokens are bound to an owner (the session's client token) and
expire with the files after PENDING_PHOTO_MAX_AGE; expired files are swept whenever new
ones are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import uuid4

from django.core import signing
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.core.errors import InvalidInput
from cityhall.servicerequests.photos import (
    MAX_PHOTOS_PER_REQUEST,
    prepare_request_photo,
    shown_name,
)

PENDING_DIRECTORY = "pending-photos"
PENDING_PHOTO_MAX_AGE = timedelta(hours=6)
_SALT = "cityhall.servicerequests.pending_photos"


@dataclass(frozen=True)
class PendingPhoto:
    """A kept photo: where it is stored, and the name the citizen knows it by."""

    storage_name: str
    shown_name: str


@dataclass(frozen=True)
class KeptPhotos:
    """The outcome of keeping uploads: every photo now kept, and why others were refused."""

    photos: list[PendingPhoto]
    problems: list[str]


def keep_valid_photos(
    uploads: Sequence[File[Any]], *, already_kept: Sequence[PendingPhoto]
) -> KeptPhotos:
    """Store the uploads that pass the photo checks, after those already kept.

    Uploads beyond MAX_PHOTOS_PER_REQUEST in all are not kept, and say so once.
    """
    _sweep_expired()
    kept = list(already_kept)
    problems: list[str] = []
    for upload in uploads:
        if len(kept) >= MAX_PHOTOS_PER_REQUEST:
            problems.append(
                _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS_PER_REQUEST}
            )
            break
        try:
            prepared = prepare_request_photo(upload)
        except InvalidInput as refusal:
            problems.extend(refusal.fields["photos"])
            continue
        name = default_storage.save(
            f"{PENDING_DIRECTORY}/{uuid4().hex}{prepared.extension}",
            ContentFile(prepared.content),
        )
        kept.append(PendingPhoto(storage_name=name, shown_name=shown_name(upload)))
    return KeptPhotos(photos=kept, problems=problems)


def pending_photos_token(photos: Sequence[PendingPhoto], *, owner: str) -> str:
    """A signed token naming the kept photos, valid only for `owner`; "" for none."""
    if not photos:
        return ""
    payload = {"owner": owner, "photos": [[p.storage_name, p.shown_name] for p in photos]}
    return signing.dumps(payload, salt=_SALT, compress=True)


def pending_photos_from_token(token: str, *, owner: str) -> list[PendingPhoto]:
    """The kept photos a token names, if it is genuine, recent and `owner`'s; else none.

    Photos whose files are gone (expired and swept) are left out.
    """
    if not token:
        return []
    try:
        payload = signing.loads(token, salt=_SALT, max_age=PENDING_PHOTO_MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(payload, dict) or payload.get("owner") != owner:
        return []
    photos = [PendingPhoto(str(name), str(shown)) for name, shown in payload.get("photos", [])]
    return [
        photo
        for photo in photos[:MAX_PHOTOS_PER_REQUEST]
        if photo.storage_name.startswith(f"{PENDING_DIRECTORY}/")
        and default_storage.exists(photo.storage_name)
    ]


def open_pending_photos(photos: Sequence[PendingPhoto]) -> list[File[Any]]:
    """The kept photos as files to submit, each named as the citizen knows it."""
    files: list[File[Any]] = []
    for photo in photos:
        with default_storage.open(photo.storage_name, "rb") as stored:
            files.append(ContentFile(stored.read(), name=photo.shown_name))
    return files


def discard_pending_photos(photos: Sequence[PendingPhoto]) -> None:
    """Delete kept photos once they are filed (or no longer wanted)."""
    for photo in photos:
        default_storage.delete(photo.storage_name)


def _sweep_expired() -> None:
    try:
        _directories, names = default_storage.listdir(PENDING_DIRECTORY)
    except FileNotFoundError:
        return
    oldest_kept = timezone.now() - PENDING_PHOTO_MAX_AGE
    for name in names:
        path = f"{PENDING_DIRECTORY}/{name}"
        if default_storage.get_modified_time(path) < oldest_kept:
            default_storage.delete(path)
