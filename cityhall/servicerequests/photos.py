"""Photos attached to requests: checked cheaply when filed, cleaned by the worker, then shown.

The web request only reads what costs nothing: `check_request_photos` refuses more than five
files, files over `max_photo_bytes()`, and anything that is not JPEG, PNG, HEIC or WebP by its
own bytes (never its name) or declares more than MAX_PHOTO_PIXELS in its header; no pixel is
decoded. `store_request_photos` writes the uploads as they came into a private quarantine
folder (never served), with `RequestPhoto` rows awaiting cleaning;
`removing_written_photos_on_failure` deletes those files again if the filing fails.

The worker's `clean_request_photo` then decodes each at the smallest scale that still gives
MAX_STORED_SIDE, refuses what would decode to more than MAX_DECODED_PIXELS, applies the EXIF
orientation and re-encodes the pixels alone, so that EXIF, GPS, XMP, colour profiles and
comments never reach the stored photo; the upload is deleted either way. A photo that cannot
be decoded is marked rejected. The CPU photos take is thus bounded by the workers' concurrency,
not by how many people post forms.

Photos are personal data and never public: the `get_request_photo_for_*` selectors are the
only doors to one, for the request's reporter and for staff who may handle the request, and
they open clean photos only.
"""

from __future__ import annotations

import io
import logging
import math
import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pillow_heif
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cityhall.accounts.models import User
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.servicerequests.access import partner_may_work_on, staff_may_handle
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest

pillow_heif.register_heif_opener()

logger = logging.getLogger(__name__)

MAX_PHOTOS_PER_REQUEST = 5
#: Larger images are refused from their header, before any decoding (about 7000 by 7000
#: pixels): a small file could otherwise expand to gigabytes of pixels.
MAX_PHOTO_PIXELS = 50_000_000
#: No image is decoded to more pixels than this (a JPEG decodes at 1/2, 1/4 or 1/8 scale, so a
#: 48 MP photo passes; a PNG, WebP or HEIC decodes whole, so it must be this small already).
MAX_DECODED_PIXELS = 25_000_000
#: Stored photos are scaled down to fit this many pixels on their longest side: enough to
#: read a sign or judge a pothole, at a quarter of the storage and encoding cost of 4096.
MAX_STORED_SIDE = 2048
JPEG_QUALITY = 85
#: How much shorter than MAX_STORED_SIDE a JPEG's longest side may be stored, to decode it at a
#: reduced scale instead of whole.
DRAFT_SIDE_SHORTFALL = 0.1
#: zlib level for stored PNGs: level 1 takes a fraction of the default's time for files a
#: few percent larger.
PNG_COMPRESS_LEVEL = 1
_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "HEIF": ("image/heic", ".heic"),
    "WEBP": ("image/webp", ".webp"),
}
_SHOWN_NAME_LENGTH = 80


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload that passed the cheap checks: its bytes as sent (metadata included), the
    format its bytes say, and the size its header declares. Never shown as is."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo's re-encoded bytes, ready to store; carries no metadata of the original."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def max_photo_bytes() -> int:
    """The size limit of one uploaded photo (`settings.REQUEST_PHOTO_MAX_BYTES`, 10 MB)."""
    return int(getattr(settings, "REQUEST_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def check_request_photos(photos: Sequence[File[Any]]) -> list[CheckedPhoto]:
    """Check every photo, in order, without decoding any; write nothing.

    Raises InvalidInput with `fields["photos"]` listing one message per refused file (each
    naming the file), or one message when there are more than five.
    """
    if len(photos) > MAX_PHOTOS_PER_REQUEST:
        raise InvalidInput(
            fields={
                "photos": [
                    _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS_PER_REQUEST}
                ]
            }
        )
    checked: list[CheckedPhoto] = []
    problems: list[str] = []
    for photo in photos:
        try:
            checked.append(check_request_photo(photo))
        except InvalidInput as refusal:
            problems.extend(refusal.fields["photos"])
    if problems:
        raise InvalidInput(fields={"photos": problems})
    return checked


def check_request_photo(photo: File[Any]) -> CheckedPhoto:
    """Check one photo's size, format and declared pixels from its header alone.

    Raises InvalidInput with one message under `photos`. The pixels are left to
    `clean_request_photo`, which refuses what turns out not to decode.
    """
    name = shown_name(photo)
    size = photo.size
    if size is not None and size > max_photo_bytes():
        raise InvalidInput(fields={"photos": [_too_large(name)]})
    photo.seek(0)
    content = photo.read(max_photo_bytes() + 1)
    if len(content) > max_photo_bytes():
        raise InvalidInput(fields={"photos": [_too_large(name)]})
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a huge image below twice its own limit; refuse it too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Lazy: reads the header for the format and size, decodes nothing.
            with Image.open(io.BytesIO(content)) as image:
                image_format, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidInput(fields={"photos": [_too_many_pixels(name)]}) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise InvalidInput(fields={"photos": [_not_an_image(name)]}) from error
    if image_format not in _FORMATS:
        raise InvalidInput(fields={"photos": [_not_an_image(name)]})
    if width * height > MAX_PHOTO_PIXELS:
        raise InvalidInput(fields={"photos": [_too_many_pixels(name)]})
    content_type, extension = _FORMATS[image_format]
    return CheckedPhoto(content, content_type, extension, width, height)


def store_request_photos(
    service_request: ServiceRequest,
    photos: Sequence[CheckedPhoto],
    *,
    uploaded_by: User | None,
    written: list[str],
) -> list[RequestPhoto]:
    """Put checked uploads in quarantine as photos awaiting cleaning, appending each stored
    file name to `written`.

    Positions continue after the request's existing photos. Call inside the caller's
    transaction and within `removing_written_photos_on_failure`; queue
    `tasks.clean_request_photo` for each returned photo in the same transaction.
    """
    first_position = service_request.photos.count()
    stored: list[RequestPhoto] = []
    for offset, checked in enumerate(photos):
        photo = RequestPhoto(
            service_request=service_request,
            status=RequestPhoto.Status.AWAITING_CLEANING,
            content_type=checked.content_type,
            width=checked.width,
            height=checked.height,
            byte_size=len(checked.content),
            position=first_position + offset,
            uploaded_by=uploaded_by,
        )
        photo.raw_upload.save("upload", ContentFile(checked.content), save=False)
        written.append(str(photo.raw_upload.name))
        photo.save()
        stored.append(photo)
    return stored


@contextmanager
def removing_written_photos_on_failure() -> Iterator[list[str]]:
    """Yield a list to record stored file names in; delete those files if the block raises.

    Wrap the whole transaction with it: files are not transactional, so a rollback would
    otherwise leave them on disk with no row pointing at them. A rollback of an *outer*
    transaction opened by the caller after this block has ended is not seen.
    """
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def clean_request_photo(photo: RequestPhoto) -> RequestPhoto.Status:
    """Clean a photo awaiting cleaning: decode, orient, re-encode without metadata, store.

    The upload is deleted whatever the outcome; a photo that does not decode (or would decode
    to too many pixels) is marked rejected. A photo already settled is left as it is. Meant
    for the worker: this is the CPU-heavy part of taking a photo.
    """
    if photo.status != RequestPhoto.Status.AWAITING_CLEANING:
        return RequestPhoto.Status(photo.status)
    raw_name = str(photo.raw_upload.name)
    try:
        with default_storage.open(raw_name, "rb") as raw:
            prepared = _decode_and_reencode(raw)
    except FileNotFoundError:
        # A second run of the task (a retried job) may find the first one's work done.
        photo.refresh_from_db()
        if photo.status != RequestPhoto.Status.AWAITING_CLEANING:
            return RequestPhoto.Status(photo.status)
        return _reject(photo, raw_name)
    except _RefusedPhoto:
        return _reject(photo, raw_name)
    photo.image.save(f"photo{prepared.extension}", ContentFile(prepared.content), save=False)
    photo.content_type = prepared.content_type
    photo.width, photo.height = prepared.width, prepared.height
    photo.byte_size = len(prepared.content)
    photo.status = RequestPhoto.Status.CLEAN
    photo.raw_upload = ""
    photo.save(
        update_fields=[
            "image",
            "content_type",
            "width",
            "height",
            "byte_size",
            "status",
            "raw_upload",
            "updated_at",
        ]
    )
    default_storage.delete(raw_name)
    return photo.status


def _reject(photo: RequestPhoto, raw_name: str) -> RequestPhoto.Status:
    logger.info("Photo %s of request %s could not be read.", photo.pk, photo.service_request_id)
    photo.status = RequestPhoto.Status.REJECTED
    photo.raw_upload = ""
    photo.save(update_fields=["status", "raw_upload", "updated_at"])
    default_storage.delete(raw_name)
    return photo.status


def get_request_photo_for_reporter_or_partner(
    *, public_id: UUID, user: User | AnonymousUser
) -> RequestPhoto:
    """A photo of a request `user` filed, or one assigned to a partner organisation `user`
    acts for; NotFound for any other.

    Partners see the photos to do the work; they carry no metadata (see `clean_request_photo`).
    """
    photo = _photo_with_request(public_id)
    service_request = photo.service_request
    if user.is_authenticated and service_request.reporter_id == user.pk:
        return photo
    if isinstance(user, User) and partner_may_work_on(user, service_request):
        return photo
    raise NotFound


def get_request_photo_for_staff(*, public_id: UUID, staff: User) -> RequestPhoto:
    """A photo of a request `staff` may handle (its department; city admins: any), or NotFound."""
    photo = _photo_with_request(public_id)
    if not staff_may_handle(staff, photo.service_request):
        raise NotFound
    return photo


def _photo_with_request(public_id: UUID) -> RequestPhoto:
    # Only clean photos: an upload awaiting cleaning still carries its metadata.
    photo = RequestPhoto.objects.select_related("service_request").filter(
        public_id=public_id, status=RequestPhoto.Status.CLEAN
    )
    found = photo.first()
    if found is None:
        raise NotFound
    return found


class _RefusedPhoto(Exception):
    """The pixels could not be decoded, or would decode to too many."""


def _decode_and_reencode(raw: File[Any]) -> PreparedPhoto:
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a huge image below twice its own limit; refuse it too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(raw) as original:
                if original.format not in _FORMATS:
                    raise _RefusedPhoto
                _decode_small(original)
                upright = ImageOps.exif_transpose(original)
                return _reencode(upright, keep_png=original.format == "PNG")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _RefusedPhoto from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        # Truncated or corrupt data surfaces as any of these while decoding.
        raise _RefusedPhoto from error


def _decode_small(image: Image.Image) -> None:
    """Ask the decoder for the smallest scale that still (nearly) fills MAX_STORED_SIDE; refuse
    what would still decode to too many pixels.

    Only JPEG decodes at a reduced scale (1/2, 1/4, 1/8), for a fraction of the full decode's
    time and memory; a stored side down to DRAFT_SIDE_SHORTFALL below MAX_STORED_SIDE is
    accepted for it, so that a 4032-pixel photo decodes at half size rather than being decoded
    whole and resampled. Other formats decode whole, so their size alone is checked.
    """
    width, height = image.size
    if image.format == "JPEG":
        longest = max(width, height)
        scale = next(
            (s for s in (8, 4, 2) if longest / s >= MAX_STORED_SIDE * (1 - DRAFT_SIDE_SHORTFALL)),
            1,
        )
        if scale > 1:
            image.draft(None, (math.ceil(width / scale), math.ceil(height / scale)))
    decoded_width, decoded_height = image.size
    if decoded_width * decoded_height > MAX_DECODED_PIXELS:
        raise _RefusedPhoto


def _too_large(name: str) -> str:
    return _("“%(name)s” is larger than %(limit)d MB.") % {
        "name": name,
        "limit": max_photo_bytes() // (1024 * 1024),
    }


def _not_an_image(name: str) -> str:
    return _("“%(name)s” is not a JPEG, PNG, HEIC or WebP image.") % {"name": name}


def _too_many_pixels(name: str) -> str:
    return _("“%(name)s” has too many pixels; send a smaller photo.") % {"name": name}


def _reencode(image: Image.Image, *, keep_png: bool) -> PreparedPhoto:
    image.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
    if keep_png:
        mode = image.mode if image.mode in {"1", "L", "LA", "RGB", "RGBA"} else "RGBA"
        pixels = _without_metadata(image.convert(mode))
        output = io.BytesIO()
        pixels.save(output, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
        return PreparedPhoto(output.getvalue(), "image/png", ".png", *pixels.size)
    pixels = _without_metadata(_flattened(image))
    output = io.BytesIO()
    pixels.save(output, format="JPEG", quality=JPEG_QUALITY)
    return PreparedPhoto(output.getvalue(), "image/jpeg", ".jpg", *pixels.size)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB pixels; transparent areas become white, as a JPEG has no transparency."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _without_metadata(converted: Image.Image) -> Image.Image:
    """The freshly converted copy with its metadata dropped.

    Pillow writes EXIF, XMP and text chunks only when asked at save time, but takes the ICC
    profile and comment from `info`: emptying it leaves nothing but the pixels to write.
    """
    converted.info = {}
    return converted


def shown_name(photo: File[Any]) -> str:
    """The file's own name, without folders and shortened, to name it in messages."""
    name = os.path.basename(str(photo.name or "")) or _("photo")
    if len(name) > _SHOWN_NAME_LENGTH:
        return name[: _SHOWN_NAME_LENGTH - 1] + "…"
    return name
