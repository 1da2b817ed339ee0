"""Serving a request's photos to its reporter and to the partner working on it. Photos are
personal data: never public.

`photo_response` is shared with the back office's own photo view, which admits staff who
may handle the request (in a two-factor session).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from cityhall.servicerequests.models import RequestPhoto
from cityhall.servicerequests.photos import get_request_photo_for_reporter_or_partner

#: Browsers may keep a photo this long, for the signed-in person only.
PHOTO_MAX_AGE_SECONDS = 3600


@login_required
@require_GET
def request_photo(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One photo of a request the signed-in person filed or whose partner organisation works
    on it; 404 for anyone else."""
    photo = get_request_photo_for_reporter_or_partner(public_id=public_id, user=request.user)
    return photo_response(photo)


def photo_response(photo: RequestPhoto) -> HttpResponse:
    """The stored photo, inline, cacheable only by the browser of whoever was allowed to see it."""
    # Stored photos are re-encoded and at most a few megabytes: read at once, then closed.
    with photo.image.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=photo.content_type)
    response.headers["Content-Disposition"] = "inline"
    patch_cache_control(response, private=True, max_age=PHOTO_MAX_AGE_SECONDS)
    patch_vary_headers(response, ["Cookie"])
    return response
