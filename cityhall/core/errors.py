"""CityHall's exception hierarchy. Each class maps to one HTTP status in core/api.py.

* CityHallError              base class; never raised directly
  + NotFound                 object missing, or hidden from this actor        404
                             (also an Http404, so pages answer 404 with no handler)
  + PermissionDenied         actor known, action not allowed                  403
  + InvalidInput             caller's data is wrong; carries field errors     400
  + Conflict                 the object's state forbids the action            409
  + RateLimited              too many attempts; carries retry_after seconds   429
  + DeliveryFailed           an outbound channel failed; .permanent says whether to retry
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _


class CityHallError(Exception):
    """Base of every error the platform raises on purpose; `code` is stable for API clients."""

    code = "error"
    status = 500
    default_message = _("Something went wrong.")

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None):
        self.message = str(message if message is not None else self.default_message)
        self.fields = fields or {}
        super().__init__(self.message)


class NotFound(CityHallError, Http404):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(CityHallError):
    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")


class InvalidInput(CityHallError):
    code = "invalid"
    status = 400
    default_message = _("Some of the information is not valid.")


class Conflict(CityHallError):
    code = "conflict"
    status = 409
    default_message = _("This cannot be done in the object's current state.")


class RateLimited(CityHallError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many attempts. Try again later.")

    def __init__(self, message: str | None = None, *, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)


class DeliveryFailed(CityHallError):
    code = "delivery_failed"
    status = 502
    default_message = _("The message could not be delivered.")

    def __init__(self, message: str | None = None, *, permanent: bool):
        self.permanent = permanent
        super().__init__(message)
