"""Photos attached to requests: checked from their content, stripped of metadata, then stored.

`prepare_request_photos` reads every upload before anything is written: it recognises JPEG,
PNG, HEIC and WebP from the bytes (never from the name), refuses oversized files and
decompression bombs, applies the EXIF orientation, and re-encodes the pixels alone, so that
EXIF, GPS, XMP, colour profiles and comments never reach storage. `store_request_photos`
then writes them as `RequestPhoto` rows; `removing_written_photos_on_failure` deletes those
files again if the surrounding transaction fails, so a failed filing leaves nothing behind.

Cleaning runs on the request path, so its CPU is bounded: a JPEG is decoded at the smallest
scale that still gives MAX_STORED_SIDE (`draft`), no image may decode to more than
MAX_DECODED_PIXELS, PNGs are compressed quickly, each upload is cleaned at most once however
many times a request asks, and each process cleans at most PHOTO_CLEANING_CONCURRENCY photos
at once: a photo that waits longer than CLEANING_WAIT_SECONDS for a turn is refused with
"too busy, try again" rather than queueing without end.

Photos are personal data and never public: the `get_request_photo_for_*` selectors are the
only doors to one, for the request's reporter and for staff who may handle the request.
"""

from __future__ import annotations

import io
import math
import os
import threading
import warnings
import weakref
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

MAX_PHOTOS_PER_REQUEST = 5
#: Larger images are refused before decoding (about 7000 by 7000 pixels): a small file could
#: otherwise expand to gigabytes of pixels.
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
#: How long a photo waits for one of the process's cleaning turns before it is refused.
CLEANING_WAIT_SECONDS = 10.0
#: Seconds a client refused as busy is asked to wait (Retry-After).
CLEANING_RETRY_AFTER = 60
_ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "HEIF", "WEBP"})
_SHOWN_NAME_LENGTH = 80


def _cleaning_concurrency() -> int:
    return max(1, int(getattr(settings, "PHOTO_CLEANING_CONCURRENCY", 2)))


# One per process: each turn is a full CPU while it lasts, so more than the process's share of
# cores would only slow every photo down (and let anonymous uploads starve other requests).
_cleaning_turns = threading.BoundedSemaphore(_cleaning_concurrency())
# Each upload's outcome, so that a request cleaning it twice (intake, then keeping it for the
# next try) pays once; entries go with the upload object at the end of the request.
_outcomes: weakref.WeakKeyDictionary[File[Any], PreparedPhoto | _RefusedPhoto] = (
    weakref.WeakKeyDictionary()
)


class PhotoCleaningBusy(InvalidInput):
    """Every cleaning turn stayed taken: the photo was not judged, and may be sent again.

    An InvalidInput under `photos`, so that forms show it at the photo field; the APIs answer
    it 503 with Retry-After. The rest of the request's photos are not tried: each would wait.
    """

    code = "busy"
    status = 503

    def __init__(self, message: str) -> None:
        self.retry_after = CLEANING_RETRY_AFTER
        super().__init__(message, fields={"photos": [message]})


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


def prepare_request_photos(photos: Sequence[File[Any]]) -> list[PreparedPhoto]:
    """Check and clean every photo, in order; write nothing.

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
    prepared: list[PreparedPhoto] = []
    problems: list[str] = []
    for photo in photos:
        try:
            prepared.append(prepare_request_photo(photo))
        except PhotoCleaningBusy:
            raise
        except InvalidInput as refusal:
            problems.extend(refusal.fields["photos"])
    if problems:
        raise InvalidInput(fields={"photos": problems})
    return prepared


def prepare_request_photo(photo: File[Any]) -> PreparedPhoto:
    """Check and clean one photo; raises InvalidInput with one message under `photos`.

    The same upload object is cleaned once: a second call returns (or refuses) as the first.
    A photo refused because every cleaning turn was taken is not remembered: it may be tried again.
    """
    outcome = _outcomes.get(photo)
    if outcome is None:
        try:
            outcome = _prepare(photo)
        except _RefusedPhoto as refusal:
            outcome = refusal
        if not isinstance(outcome, _TooBusy):
            _outcomes[photo] = outcome
    if isinstance(outcome, _TooBusy):
        raise PhotoCleaningBusy(str(outcome)) from outcome
    if isinstance(outcome, _RefusedPhoto):
        raise InvalidInput(fields={"photos": [str(outcome)]}) from outcome
    return outcome


def already_cleaned(content: bytes, *, name: str) -> File[Any]:
    """A file of bytes this module produced (a kept photo), which is not cleaned again.

    Only its header is read, for format and size: the pixels are as `prepare_request_photo`
    wrote them, and cleaning them again would let a replayed form cost a decode per photo.
    Bytes that are not one of this module's outputs are cleaned as any upload.
    """
    photo: File[Any] = ContentFile(content, name=name)
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return photo
    if image_format == "PNG":
        _outcomes[photo] = PreparedPhoto(content, "image/png", ".png", width, height)
    elif image_format == "JPEG":
        _outcomes[photo] = PreparedPhoto(content, "image/jpeg", ".jpg", width, height)
    return photo


def store_request_photos(
    service_request: ServiceRequest,
    photos: Sequence[PreparedPhoto],
    *,
    uploaded_by: User | None,
    written: list[str],
) -> list[RequestPhoto]:
    """Save prepared photos for a request, appending each stored file name to `written`.

    Positions continue after the request's existing photos. Call inside the caller's
    transaction and within `removing_written_photos_on_failure`.
    """
    first_position = service_request.photos.count()
    stored: list[RequestPhoto] = []
    for offset, prepared in enumerate(photos):
        photo = RequestPhoto(
            service_request=service_request,
            content_type=prepared.content_type,
            width=prepared.width,
            height=prepared.height,
            byte_size=len(prepared.content),
            position=first_position + offset,
            uploaded_by=uploaded_by,
        )
        photo.image.save(f"photo{prepared.extension}", ContentFile(prepared.content), save=False)
        written.append(str(photo.image.name))
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


def get_request_photo_for_reporter_or_partner(
    *, public_id: UUID, user: User | AnonymousUser
) -> RequestPhoto:
    """A photo of a request `user` filed, or one assigned to a partner organisation `user`
    acts for; NotFound for any other.

    Partners see the photos to do the work; they carry no metadata (see `prepare_request_photo`).
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
    photo = RequestPhoto.objects.select_related("service_request").filter(public_id=public_id)
    found = photo.first()
    if found is None:
        raise NotFound
    return found


class _RefusedPhoto(Exception):
    """One file's refusal, with the message shown to the citizen."""


class _TooBusy(_RefusedPhoto):
    """Every cleaning turn stayed taken for CLEANING_WAIT_SECONDS."""


def _prepare(photo: File[Any]) -> PreparedPhoto:
    name = shown_name(photo)
    size = photo.size
    if size is not None and size > max_photo_bytes():
        raise _RefusedPhoto(
            _("“%(name)s” is larger than %(limit)d MB.")
            % {"name": name, "limit": max_photo_bytes() // (1024 * 1024)}
        )
    if not _cleaning_turns.acquire(timeout=CLEANING_WAIT_SECONDS):
        raise _TooBusy(
            _("“%(name)s” could not be processed: the server is busy. Try again in a minute.")
            % {"name": name}
        )
    try:
        return _decode_and_reencode(photo, name)
    finally:
        _cleaning_turns.release()


def _decode_and_reencode(photo: File[Any], name: str) -> PreparedPhoto:
    photo.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a huge image below twice its own limit; refuse it too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(photo) as original:
                _check_format_and_size(original, name)
                _decode_small(original, name)
                upright = ImageOps.exif_transpose(original)
                return _reencode(upright, keep_png=original.format == "PNG")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _RefusedPhoto(_too_many_pixels(name)) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        # Truncated or corrupt data surfaces as any of these while decoding.
        raise _RefusedPhoto(_not_an_image(name)) from error


def _check_format_and_size(image: Image.Image, name: str) -> None:
    if image.format not in _ACCEPTED_FORMATS:
        raise _RefusedPhoto(_not_an_image(name))
    width, height = image.size
    if width * height > MAX_PHOTO_PIXELS:
        raise _RefusedPhoto(_too_many_pixels(name))


def _decode_small(image: Image.Image, name: str) -> None:
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
        raise _RefusedPhoto(_too_many_pixels(name))


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
