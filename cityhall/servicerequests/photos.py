"""Photos attached to requests: checked from their content, stripped of metadata, then stored.

`prepare_request_photos` reads every upload before anything is written: it recognises JPEG,
PNG, HEIC and WebP from the bytes (never from the name), refuses oversized files and
decompression bombs, applies the EXIF orientation, and re-encodes the pixels alone, so that
EXIF, GPS, XMP, colour profiles and comments never reach storage. `store_request_photos`
then writes them as `RequestPhoto` rows; `removing_written_photos_on_failure` deletes those
files again if the surrounding transaction fails, so a failed filing leaves nothing behind.

Photos are personal data and never public: the `get_request_photo_for_*` selectors are the
only doors to one, for the request's reporter and for staff who may handle the request.
"""

from __future__ import annotations

import io
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

MAX_PHOTOS_PER_REQUEST = 5
#: Larger images are refused before decoding (about 7000 by 7000 pixels): a small file could
#: otherwise expand to gigabytes of pixels.
MAX_PHOTO_PIXELS = 50_000_000
#: Stored photos are scaled down to fit this many pixels on their longest side.
MAX_STORED_SIDE = 4096
JPEG_QUALITY = 85
_ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "HEIF", "WEBP"})
_SHOWN_NAME_LENGTH = 80


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
        except InvalidInput as refusal:
            problems.extend(refusal.fields["photos"])
    if problems:
        raise InvalidInput(fields={"photos": problems})
    return prepared


def prepare_request_photo(photo: File[Any]) -> PreparedPhoto:
    """Check and clean one photo; raises InvalidInput with one message under `photos`."""
    try:
        return _prepare(photo)
    except _RefusedPhoto as refusal:
        raise InvalidInput(fields={"photos": [str(refusal)]}) from refusal


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


def _prepare(photo: File[Any]) -> PreparedPhoto:
    name = shown_name(photo)
    size = photo.size
    if size is not None and size > max_photo_bytes():
        raise _RefusedPhoto(
            _("“%(name)s” is larger than %(limit)d MB.")
            % {"name": name, "limit": max_photo_bytes() // (1024 * 1024)}
        )
    photo.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a huge image below twice its own limit; refuse it too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(photo) as original:
                _check_format_and_size(original, name)
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
        pixels.save(output, format="PNG")
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
