"""Template context shared by the portal and the back office."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def city(request: HttpRequest) -> dict[str, Any]:
    """The city's name, for page titles and headers."""
    return {"city_name": settings.CITYHALL_CITY_NAME}
