"""Filing a new request: validation, photos, location, routing, SLA, first step, follow-up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.catalog.answers import JsonValue, clean_answers, photo_problem
from cityhall.catalog.models import Service
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput
from cityhall.places.geometry import coordinates_problem
from cityhall.places.h3cells import cell_for
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.events import service_request_created
from cityhall.servicerequests.models import DuplicateCandidate, ServiceRequest, StatusChange
from cityhall.servicerequests.photos import (
    CheckedPhoto,
    check_request_photos,
    removing_written_photos_on_failure,
    store_request_photos,
)
from cityhall.servicerequests.selectors import likely_duplicates
from cityhall.servicerequests.services.filing_catalog import (
    district_at,
    form_fields,
    is_in_city_area,
    routed_department,
)
from cityhall.servicerequests.services.numbering import next_tracking_number
from cityhall.servicerequests.sla import due_at
from cityhall.servicerequests.tasks import (
    clean_request_photo,
    enqueue_with_commit,
    follow_up_submission,
)

MIN_DESCRIPTION_LENGTH = 10
MAX_DESCRIPTION_LENGTH = 4000
MAX_ADDRESS_LENGTH = 300
MAX_KEY_LENGTH = 100
MAX_CLIENT_ID_LENGTH = 100
MAX_MEDIA_URL_LENGTH = 1000
MAX_CONTACT_NAME_LENGTH = 150
MAX_CONTACT_EMAIL_LENGTH = 254
MAX_CONTACT_PHONE_LENGTH = 40
#: How many duplicate candidates are kept for staff per new request.
MAX_DUPLICATE_CANDIDATES = 5


@dataclass(frozen=True)
class Location:
    """A WGS84 point (degrees)."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class Contact:
    """How to reach someone who filed without an account, or on someone else's behalf."""

    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ClientDetails:
    """What a client application says about itself and the reporter (Open311 fields).

    `device_id` names the reporting device, `account_id` the reporter's account in the client
    app, and `media_url` a photo the client hosts itself (an absolute http(s) URL).
    """

    device_id: str = ""
    account_id: str = ""
    media_url: str = ""


@dataclass(frozen=True)
class _Cleaned:
    description: str
    answers: dict[str, JsonValue]
    address_text: str
    contact: Contact
    location: Location | None
    client: ClientDetails
    photos: Sequence[CheckedPhoto]


def submit_service_request(  # noqa: PLR0913 (the intake contract every channel calls)
    *,
    reporter: User | None,
    service: Service,
    description: str,
    answers: Mapping[str, Any],
    location: Location | None,
    address_text: str = "",
    contact: Contact | None = None,
    channel: ServiceRequest.Channel,
    idempotency_key: str | None = None,
    client_token: str = "",
    photos: Sequence[File[Any]] = (),
    client: ClientDetails | None = None,
) -> ServiceRequest:
    """File a request: validate, locate, route, set the SLA due date, audit it.

    A retry with the same `idempotency_key` from the same reporter (or, without a reporter,
    the same `client_token`; a key alone is ignored) returns the first request instead of
    filing a second one, even when both attempts race, and even if the retry's data differ
    (its photos are not added either).

    `photos` (at most five JPEG, PNG, HEIC or WebP files of `REQUEST_PHOTO_MAX_BYTES` each)
    are all checked from their headers before anything is written, then put in quarantine,
    and `clean_request_photo` is queued for each with the filing: the worker re-encodes them
    without metadata. If the filing fails, no photo file stays behind.

    Raises InvalidInput whose `fields` name every wrong input (`description`, `location`,
    `address_text`, `contact_name`, `contact_email`, `contact_phone`, `reporter`, `service`,
    `idempotency_key`, `photos`, `device_id`, `account_id`, `media_url`, and
    `answers.<field code>`).

    `follow_up_submission` is queued with the filing (in its transaction with the database
    task backend): once the filing commits, a worker notes likely duplicates for staff and
    sends the reporter (or the contact email) a confirmation.
    """
    key = (idempotency_key or "").strip()
    if reporter is None and not client_token:
        # Without an account or a client token, a key alone would let one stranger's retry
        # return another stranger's request.
        key = ""
    if photos:
        # Reading and quarantining photos takes a copy of each: a retry is answered before
        # it. Without photos, a retry is told apart by the unique key when its request is
        # inserted (below), which spares every first attempt a query.
        existing = _existing_for_key(reporter, client_token, key)
        if existing is not None:
            return existing
    # Only headers are read here; decoding is the worker's (`clean_request_photo`).
    checked, photo_errors = _checked_photos(photos)
    try:
        with removing_written_photos_on_failure() as written, transaction.atomic():
            cleaned = _validate(
                reporter,
                service,
                description,
                answers,
                location,
                address_text,
                contact,
                key,
                client or ClientDetails(),
                (checked, photo_errors),
            )
            return _file(
                reporter=reporter,
                service=service,
                cleaned=cleaned,
                channel=channel,
                keys=(key, client_token),
                written_photos=written,
            )
    except (IntegrityError, InvalidInput):
        # A retry of a stored filing (or a concurrent attempt that inserted the same key
        # first): the first request is the answer, whatever this attempt's data.
        existing = _existing_for_key(reporter, client_token, key)
        if existing is None:
            raise
        return existing


def _existing_for_key(reporter: User | None, client_token: str, key: str) -> ServiceRequest | None:
    if not key:
        return None
    # The key is never empty here; saying so repeats the condition of the partial unique
    # indexes, which SQLite needs before it will use them instead of scanning every request.
    keyed = ServiceRequest.objects.exclude(idempotency_key="")
    if reporter is not None:
        return keyed.filter(reporter=reporter, idempotency_key=key).first()
    return keyed.filter(
        reporter__isnull=True, client_token=client_token, idempotency_key=key
    ).first()


def _validate(  # noqa: PLR0913 (every input of the intake contract is checked together)
    reporter: User | None,
    service: Service,
    description: str,
    answers: Mapping[str, Any],
    location: Location | None,
    address_text: str,
    contact: Contact | None,
    key: str,
    client: ClientDetails,
    photos: tuple[list[CheckedPhoto], list[str]],
) -> _Cleaned:
    checked_photos, photo_errors = photos
    photo_errors = photo_errors or _missing_photo(service, client, len(checked_photos))
    errors: dict[str, list[str]] = {"photos": photo_errors} if photo_errors else {}
    cleaned_answers: dict[str, JsonValue] = {}
    try:
        cleaned_answers = clean_answers(
            service=service, answers=answers, fields=form_fields(service)
        )
    except InvalidInput as error:
        errors.update({f"answers.{code}": messages for code, messages in error.fields.items()})
    contact = contact or Contact()
    text = description.strip()
    checks = {
        "service": _service_problem(service),
        "reporter": reporter_problem(reporter, service, contact),
        "description": description_problem(text),
        "location": location_problem(service, location),
        "address_text": _too_long(address_text.strip(), MAX_ADDRESS_LENGTH),
        "contact_name": _too_long(contact.name.strip(), MAX_CONTACT_NAME_LENGTH),
        "contact_email": _email_problem(contact.email.strip()),
        "contact_phone": _too_long(contact.phone.strip(), MAX_CONTACT_PHONE_LENGTH),
        "idempotency_key": _too_long(key, MAX_KEY_LENGTH),
        "device_id": _too_long(client.device_id.strip(), MAX_CLIENT_ID_LENGTH),
        "account_id": _too_long(client.account_id.strip(), MAX_CLIENT_ID_LENGTH),
        "media_url": _media_url_problem(client.media_url.strip()),
    }
    errors.update({name: [problem] for name, problem in checks.items() if problem})
    if errors:
        raise InvalidInput(fields=errors)
    return _Cleaned(
        text,
        cleaned_answers,
        address_text.strip(),
        contact,
        location,
        ClientDetails(
            client.device_id.strip(), client.account_id.strip(), client.media_url.strip()
        ),
        checked_photos,
    )


def _missing_photo(service: Service, client: ClientDetails, photo_count: int) -> list[str]:
    """The catalog's photo rule; a photo the client hosts itself (`media_url`) counts too."""
    count = photo_count + (1 if client.media_url.strip() else 0)
    problem = photo_problem(service=service, photo_count=count)
    return [problem] if problem else []


def _checked_photos(photos: Sequence[File[Any]]) -> tuple[list[CheckedPhoto], list[str]]:
    """The checked photos, or the problems found, to report with the other fields."""
    try:
        return check_request_photos(photos), []
    except InvalidInput as error:
        return [], error.fields["photos"]


def _media_url_problem(url: str) -> str | None:
    if not url:
        return None
    if len(url) > MAX_MEDIA_URL_LENGTH:
        return _too_long(url, MAX_MEDIA_URL_LENGTH)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("Enter a full web address starting with http:// or https://.")
    return None


def _service_problem(service: Service) -> str | None:
    if not (service.is_active and service.accepts_requests):
        return _("This service does not accept new requests.")
    return None


def reporter_problem(reporter: User | None, service: Service, contact: Contact) -> str | None:
    """Why this reporter may not file this request, or None (shared with the history import)."""
    if reporter is not None or service.allows_anonymous:
        return None
    # Without an account, a way to reach the person is what makes a request not anonymous.
    if contact.email.strip() or contact.phone.strip():
        return None
    return _("Sign in, or give an email address or a phone number, to file this request.")


def description_problem(text: str) -> str | None:
    """Why the description is not acceptable, or None (shared with the history import)."""
    if len(text) < MIN_DESCRIPTION_LENGTH:
        return _("Describe the problem in at least %(count)d characters.") % {
            "count": MIN_DESCRIPTION_LENGTH
        }
    return _too_long(text, MAX_DESCRIPTION_LENGTH)


def location_problem(service: Service, location: Location | None) -> str | None:
    """Why the location is missing or invalid for the service, or None (shared)."""
    if location is None:
        return _("Choose where the problem is.") if service.requires_location else None
    problem = coordinates_problem(location.latitude, location.longitude)
    if problem:
        return problem
    if not is_in_city_area(float(location.latitude), float(location.longitude)):
        return _("This place is outside the city. Choose a spot within the city's limits.")
    return None


def _email_problem(email: str) -> str | None:
    if not email:
        return None
    if len(email) > MAX_CONTACT_EMAIL_LENGTH:
        return _too_long(email, MAX_CONTACT_EMAIL_LENGTH)
    try:
        validate_email(email)
    except ValidationError:
        return _("Enter a valid email address.")
    return None


def _too_long(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return _("Enter at most %(count)d characters.") % {"count": limit}
    return None


def _file(  # noqa: PLR0913 (the validated inputs and what to undo if the filing fails)
    *,
    reporter: User | None,
    service: Service,
    cleaned: _Cleaned,
    channel: ServiceRequest.Channel,
    keys: tuple[str, str],
    written_photos: list[str],
) -> ServiceRequest:
    now = timezone.now()
    service_request = ServiceRequest(
        tracking_number=next_tracking_number(timezone.localtime(now)),
        service=service,
        reporter=reporter,
        idempotency_key=keys[0],
        client_token=keys[1] if reporter is None else "",
        contact_name=cleaned.contact.name.strip(),
        contact_email=cleaned.contact.email.strip(),
        contact_phone=cleaned.contact.phone.strip(),
        description=cleaned.description,
        answers=cleaned.answers,
        address_text=cleaned.address_text,
        channel=channel,
        due_at=due_at(service=service, submitted_at=now),
        device_id=cleaned.client.device_id,
        external_account_id=cleaned.client.account_id,
        media_url=cleaned.client.media_url,
    )
    if cleaned.location is not None:
        place_of(service_request, cleaned.location)
    service_request.department = routed_department(
        service, district=service_request.district, answers=cleaned.answers
    )
    # Constraints are left to the database, so that a racing retry surfaces as IntegrityError;
    # the inputs were checked by _validate, so no full_clean() here.
    service_request.save()
    StatusChange.objects.create(
        service_request=service_request, actor=reporter, to_status=service_request.status
    )
    stored_photos = (
        store_request_photos(
            service_request, cleaned.photos, uploaded_by=reporter, written=written_photos
        )
        if cleaned.photos
        else []
    )
    record_audit_event(
        actor=reporter,
        action=ServiceRequestAuditAction.SUBMITTED,
        target=service_request,
        data={"channel": channel, "photos": len(cleaned.photos)},
    )
    service_request_created.send(
        sender=ServiceRequest, service_request=service_request, actor=reporter
    )
    # Duplicate scoring, the confirmation and photo cleaning wait for the worker: the citizen
    # need not.
    enqueue_with_commit(follow_up_submission, service_request.id)
    for photo in stored_photos:
        enqueue_with_commit(clean_request_photo, photo.id)
    return service_request


def place_of(service_request: ServiceRequest, location: Location) -> None:
    """Store the point with its H3 cell and the district holding it (None outside all)."""
    latitude, longitude = float(location.latitude), float(location.longitude)
    service_request.latitude, service_request.longitude = latitude, longitude
    service_request.h3_cell = cell_for(latitude, longitude)
    service_request.district = district_at(latitude, longitude)


def record_duplicate_candidates(service_request: ServiceRequest) -> int:
    """Store the closest-matching open requests filed before this one, for staff to review.

    Done once per request (a second call finds the first one's rows and stores nothing);
    returns how many candidates the request has.
    """
    if service_request.latitude is None or service_request.longitude is None:
        return 0
    existing = service_request.duplicate_candidates.count()
    if existing:
        return existing
    scored = likely_duplicates(
        service=service_request.service,
        latitude=service_request.latitude,
        longitude=service_request.longitude,
        description=service_request.description,
        at=service_request.created_at,
        exclude_id=service_request.id,
    )[:MAX_DUPLICATE_CANDIDATES]
    DuplicateCandidate.objects.bulk_create(
        DuplicateCandidate(service_request=service_request, candidate=candidate, score=score)
        for candidate, score in scored
    )
    return len(scored)
