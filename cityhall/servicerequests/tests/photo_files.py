"""Image files for photo tests, built with Pillow so that every test states what it sends."""

from __future__ import annotations

import io
from pathlib import Path

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

pillow_heif.register_heif_opener()

#: EXIF tag numbers (see the EXIF 2.3 specification).
ORIENTATION = 0x0112
GPS_IFD = 0x8825
GPS_LATITUDE = 2
ARTIST = 0x013B
#: The orientation value meaning "rotate 90 degrees clockwise to display".
ROTATED_90 = 6


def image_bytes(image_format: str, *, size: tuple[int, int] = (64, 48), **save_options) -> bytes:
    """An image of `size` with a red left half, so that rotations can be told apart."""
    image = Image.new("RGB", size, "blue")
    image.paste(Image.new("RGB", (size[0] // 2, size[1]), "red"), (0, 0))
    output = io.BytesIO()
    image.save(output, format=image_format, **save_options)
    return output.getvalue()


def jpeg_with_gps_bytes(*, orientation: int = 1) -> bytes:
    """A JPEG carrying a GPS position, an author, XMP, a colour profile, a comment and an
    orientation tag."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[ARTIST] = "Jeanne Reporter"
    exif.get_ifd(GPS_IFD).update({1: "N", GPS_LATITUDE: (45.0, 30.0, 12.5), 3: "W"})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret place</x:xmpmeta>'
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return image_bytes(
        "JPEG", exif=exif.tobytes(), xmp=xmp, icc_profile=profile, comment=b"Jeanne's phone"
    )


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def use_temporary_media(settings, tmp_path: Path) -> Path:
    """Point file storage at a fresh directory and return it."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    return media


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]
