"""CPU one uploaded photo costs: the web request's checks, then the worker's cleaning.

Run: .venv/bin/python bench/photo_cleaning.py [--repeat 5]

Photos are made here, as a phone would send them: JPEGs of 12 and 24 megapixels (a camera's
usual 4032 x 3024 and a 6000 x 4000 one) with EXIF, a 12 megapixel HEIC (an iPhone's format),
and a 2,000-pixel PNG and WebP (larger noisy PNGs exceed the 10 MB upload limit). The content
is a smooth gradient with fine noise, which compresses about as badly as a street scene (a 12 MP
JPEG of about 2 to 3 MB).
Each file goes `--repeat` times through what the filing's web request does
(`servicerequests.photos.check_request_photo`: size, format from the bytes, pixels from the
header) and through what the worker's `clean_request_photo` task does (decode, orient,
re-encode without metadata); the figures are CPU seconds per photo for each
(`time.process_time`, the median of the repeats), the size of the upload and of the stored
result, and the stored pixel size. Nothing touches the database or the disk.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def set_up_django() -> None:
    os.environ["CITYHALL_ENV"] = "test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()


def photo(width: int, height: int, image_format: str) -> bytes:
    """A gradient with per-pixel noise, saved as `image_format` (JPEG with an EXIF block)."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 12)
    pixels = Image.merge(
        "RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    output = io.BytesIO()
    if image_format == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "Phone maker"  # Make
        exif[0x0112] = 6  # Orientation: rotated, so that the cleaner turns it upright
        pixels.save(output, format="JPEG", quality=88, exif=exif)
    else:
        pixels.save(output, format=image_format)
    return output.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    set_up_django()
    import pillow_heif
    from django.core.files.base import ContentFile

    pillow_heif.register_heif_opener()

    from cityhall.servicerequests.photos import _decode_and_reencode, check_request_photo

    cases = [
        ("JPEG 4032x3024 (12 MP)", photo(4032, 3024, "JPEG")),
        ("JPEG 6000x4000 (24 MP)", photo(6000, 4000, "JPEG")),
        ("HEIC 4032x3024 (12 MP)", photo(4032, 3024, "HEIF")),
        ("PNG 2000x1500", photo(2000, 1500, "PNG")),
        ("WebP 2000x1500", photo(2000, 1500, "WEBP")),
    ]
    print(
        f"{'photo':<24} {'upload':>9} {'stored':>9} {'stored px':>11} "
        f"{'web CPU s':>10} {'task CPU s':>11}"
    )
    for name, content in cases:
        in_request: list[float] = []
        in_task: list[float] = []
        for _ in range(options.repeat):
            started = time.process_time()
            checked = check_request_photo(ContentFile(content, name="photo"))
            in_request.append(time.process_time() - started)
            started = time.process_time()
            # The task's own work, without the storage reads and writes around it.
            prepared = _decode_and_reencode(ContentFile(checked.content, name="photo"))
            in_task.append(time.process_time() - started)
        print(
            f"{name:<24} {len(content) / 1e6:>7.2f}MB {len(prepared.content) / 1e6:>7.2f}MB "
            f"{prepared.width:>5}x{prepared.height:<5} {statistics.median(in_request):>10.4f} "
            f"{statistics.median(in_task):>11.3f}"
        )


if __name__ == "__main__":
    main()
