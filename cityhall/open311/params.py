"""Reading GeoReport v2 query parameters; every problem raises Open311Error (HTTP 400).

Numbers and date-times are read by the platform API's own checks (`core.api_inputs`): ASCII
digits of bounded length, and date-times within the years the database and time-zone
arithmetic can hold.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cityhall.catalog.models import language_code
from cityhall.core.api_inputs import datetime_problem, whole_number
from cityhall.open311.documents import FORMATS, Open311Error
from cityhall.servicerequests.photos import max_photo_bytes

#: Room for the form fields sent beside a media file (bytes).
FORM_BYTES = 256 * 1024


def response_format(value: str) -> str:
    """The format named by the URL's extension; raises Open311Error for any other."""
    if value not in FORMATS:
        raise Open311Error(
            400, _("Unknown format %(format)s; use json or xml.") % {"format": value}
        )
    return value


def language(request: HttpRequest) -> str:
    """ "en" or "fr": the `lang` parameter, else `locale` (as other GeoReport v2 servers take it:
    "fr", "fr_CA", "fr-CA"…), else the language Accept-Language negotiated."""
    requested = request.GET.get("lang", "").strip()
    if requested and requested not in ("en", "fr"):
        raise Open311Error(400, _("lang must be en or fr."))
    locale = request.GET.get("locale", "").strip().replace("_", "-").lower()
    if locale and locale.split("-")[0] not in ("en", "fr"):
        raise Open311Error(400, _("locale must be English or French, such as en, fr or fr_CA."))
    return language_code(requested or locale or get_language())


def check_jurisdiction(params: QueryDict) -> None:
    """Refuse a `jurisdiction_id` other than OPEN311_JURISDICTION_ID (any is fine when unset).

    GeoReport v2: jurisdiction_id is only needed by endpoints serving several jurisdictions;
    this one serves one, so a missing id is accepted. An unknown one is a 404, as the spec's
    error list says ("jurisdiction_id provided was not found").
    """
    expected = getattr(settings, "OPEN311_JURISDICTION_ID", "")
    given = params.get("jurisdiction_id", "").strip()
    if expected and given and given != expected:
        raise Open311Error(404, _("Unknown jurisdiction_id %(id)s.") % {"id": given})


def check_body_size(request: HttpRequest) -> None:
    """Refuse a body larger than one media file and its form, before reading it."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    limit = max_photo_bytes() + FORM_BYTES
    if declared.isascii() and declared.isdigit() and (len(declared) > 18 or int(declared) > limit):
        raise Open311Error(
            400,
            _("The request is too large: media must be at most %(size)d MB.")
            % {"size": max_photo_bytes() // (1024 * 1024)},
        )


def optional_datetime(params: QueryDict, name: str) -> datetime | None:
    """An ISO 8601 date-time parameter; one without an offset is read in the city's time zone."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    # An unencoded "+02:00" in a query string arrives as " 02:00".
    value = _parse(raw) or _parse(raw.replace(" ", "+"))
    if value is None:
        raise Open311Error(400, _("%(name)s must be an ISO 8601 date and time.") % {"name": name})
    problem = datetime_problem(value)
    if problem:
        raise Open311Error(400, f"{name}: {problem}")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _parse(raw: str) -> datetime | None:
    try:
        return parse_datetime(raw)
    except ValueError:
        return None


def optional_int(params: QueryDict, name: str, *, default: int, maximum: int) -> int:
    """A positive integer parameter no larger than `maximum`."""
    raw = params.get(name, "").strip()
    if not raw:
        return default
    number = whole_number(raw, minimum=1, maximum=maximum)
    if number is None:
        raise Open311Error(
            400,
            _("%(name)s must be a whole number from 1 to %(maximum)d.")
            % {"name": name, "maximum": maximum},
        )
    return number


def optional_boolean(params: QueryDict, name: str) -> bool:
    """A true/false parameter (absent means false)."""
    raw = params.get(name, "").strip().lower()
    if raw not in ("", "true", "false"):
        raise Open311Error(400, _("%(name)s must be true or false.") % {"name": name})
    return raw == "true"


def comma_list(params: QueryDict, name: str) -> list[str]:
    """The non-empty items of a comma-separated parameter."""
    return [item.strip() for item in params.get(name, "").split(",") if item.strip()]
