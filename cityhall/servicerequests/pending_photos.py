"""Photos kept between two tries of a form, so that a citizen never chooses them twice.

When a form comes back with a mistake, the channel keeps each upload that passed the photo
checks (`keep_valid_photos`, which reads headers only, as filing does): the bytes as sent are
stored under `pending-photos/` (private, never served; the worker cleans them once filed), and
the citizen's page carries a signed token naming them (`pending_photos_token`). The next try
reads the token back (`pending_photos_from_token`), hands the files to
`submit_service_request` with any new uploads (`open_pending_photos`), and discards them
once filed. Tokens are bound to an owner (the session's client token) and
expire with the files after PENDING_PHOTO_MAX_AGE; expired files are swept whenever new
ones are kept.

Anyone may post a form that fails, so keeping is bounded: at most MAX_PENDING_PER_OWNER
photos per session, MAX_PENDING_PER_ADDRESS per client address (an IPv6 address counts by
its /64 network, which one subscriber holds whole) and `max_pending_bytes()` in all. Past a
limit a photo is not kept, and the citizen is told to choose it again: the filing itself
still works. Each file is stored as `pending-photos/<address key>/<owner key>-<random>.<ext>`
(keys are keyed digests, so no address is written down), which lets the limits be counted
from the files themselves, across processes, without a table.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cityhall.core.errors import InvalidInput
from cityhall.core.media_files import stored_files
from cityhall.servicerequests.photos import (
    MAX_PHOTOS_PER_REQUEST,
    check_request_photo,
    shown_name,
)

PENDING_DIRECTORY = "pending-photos"
PENDING_PHOTO_MAX_AGE = timedelta(hours=6)
#: Two forms' worth: a citizen may have one going for two services.
MAX_PENDING_PER_OWNER = 2 * MAX_PHOTOS_PER_REQUEST
#: A household or office behind one address, each with a form or two going.
MAX_PENDING_PER_ADDRESS = 30
_SALT = "cityhall.servicerequests.pending_photos"
_KEY_LENGTH = 16


def max_pending_bytes() -> int:
    """All kept photos together (`settings.PENDING_PHOTOS_MAX_BYTES`, 500 MB by default)."""
    return int(getattr(settings, "PENDING_PHOTOS_MAX_BYTES", 500 * 1024 * 1024))


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
    uploads: Sequence[File[Any]],
    *,
    already_kept: Sequence[PendingPhoto],
    owner: str,
    address: str | None,
) -> KeptPhotos:
    """Store the uploads that pass the photo checks, after those already kept.

    `owner` is the session's client token and `address` the client's address
    (`accounts.client_address`). Uploads beyond MAX_PHOTOS_PER_REQUEST in all, or past one of
    the keeping limits, are not kept (nor read), and say so once.
    """
    usage = _usage_after_sweeping()
    address_key, owner_key = _address_key(address), _key("owner", owner)
    kept = list(already_kept)
    problems: list[str] = []
    for upload in uploads:
        if len(kept) >= MAX_PHOTOS_PER_REQUEST:
            problems.append(
                _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS_PER_REQUEST}
            )
            break
        if usage.full(address_key, owner_key):
            problems.append(
                _(
                    "Photos could not be kept for your next try: choose them again when you "
                    "send the form."
                )
            )
            break
        try:
            checked = check_request_photo(upload)
        except InvalidInput as refusal:
            problems.extend(refusal.fields["photos"])
            continue
        name = default_storage.save(
            f"{PENDING_DIRECTORY}/{address_key}/{owner_key}-{uuid4().hex}{checked.extension}",
            ContentFile(checked.content),
        )
        usage.add(address_key, owner_key, len(checked.content))
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
    """The kept photos as files to submit, each named as the citizen knows it.

    Filing checks their headers again and queues their cleaning, as for any upload.
    """
    files: list[File[Any]] = []
    for photo in photos:
        with default_storage.open(photo.storage_name, "rb") as stored:
            files.append(ContentFile(stored.read(), name=photo.shown_name))
    return files


def discard_pending_photos(photos: Sequence[PendingPhoto]) -> None:
    """Delete kept photos once they are filed (or no longer wanted)."""
    for photo in photos:
        default_storage.delete(photo.storage_name)


@dataclass
class _Usage:
    """What is kept now: files per address key, per owner key, and bytes in all."""

    per_address: dict[str, int] = field(default_factory=dict)
    per_owner: dict[str, int] = field(default_factory=dict)
    total_bytes: int = 0

    def add(self, address_key: str, owner_key: str, size: int) -> None:
        self.per_address[address_key] = self.per_address.get(address_key, 0) + 1
        self.per_owner[owner_key] = self.per_owner.get(owner_key, 0) + 1
        self.total_bytes += size

    def full(self, address_key: str, owner_key: str) -> bool:
        return (
            self.per_owner.get(owner_key, 0) >= MAX_PENDING_PER_OWNER
            or self.per_address.get(address_key, 0) >= MAX_PENDING_PER_ADDRESS
            or self.total_bytes >= max_pending_bytes()
        )


def _usage_after_sweeping() -> _Usage:
    """Delete expired kept photos, and count the others.

    The walk is bounded by the limits themselves: at most `max_pending_bytes()` of files.
    """
    usage = _Usage()
    oldest_kept = timezone.now() - PENDING_PHOTO_MAX_AGE
    for stored in stored_files(PENDING_DIRECTORY):
        if stored.modified_at < oldest_kept:
            default_storage.delete(stored.name)
            continue
        relative = stored.name.removeprefix(f"{PENDING_DIRECTORY}/")
        address_key, _slash, name = relative.rpartition("/")
        usage.add(address_key, name.split("-", 1)[0], stored.size)
    return usage


def _key(purpose: str, value: str) -> str:
    digest = salted_hmac(f"{_SALT}.{purpose}", value, algorithm="sha256").hexdigest()
    return digest[:_KEY_LENGTH]


def _address_key(address: str | None) -> str:
    """The key of the address's network: the address itself, or its /64 for IPv6."""
    if not address:
        return _key("address", "unknown")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return _key("address", address)
    if parsed.version == 6:
        return _key("address", str(ipaddress.ip_network(f"{parsed}/64", strict=False)))
    return _key("address", str(parsed))
