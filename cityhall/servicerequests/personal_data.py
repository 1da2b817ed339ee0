"""What the requests domain holds about a person: requests filed, comments, follows, ratings.

A request is a public record (the pothole stays reported): erasure keeps it without its
reporter, contact details and the client ids that could find the person, and removes their
name, address and phone number from its free text and the staff notes on it. The photos they
uploaded are deleted with their files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.core.encrypted_fields import digest_lookup
from cityhall.privacy.erasure import delete_files_after_commit, redact, redact_json
from cityhall.privacy.purposes import LegalBasis, Purpose, register_purpose
from cityhall.privacy.registry import (
    Erased,
    ExportTable,
    PersonalDataSource,
    export_rows,
    register_source,
)
from cityhall.servicerequests.audiences import Audience, answers_for
from cityhall.servicerequests.models import (
    Comment,
    Follower,
    RequestPhoto,
    SatisfactionRating,
    ServiceRequest,
    StatusChange,
)

if TYPE_CHECKING:
    from cityhall.accounts.models import User

SERVICE_REQUESTS = register_purpose(
    Purpose(
        code="service_requests",
        name=_("Handling your requests"),
        explanation=_(
            "Use what you tell us in a request, and how to reach you, to handle it and tell "
            "you how it goes."
        ),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_("Requests"), _("Contact details")),
    )
)

_REQUEST_FIELDS = (
    "public_id",
    "tracking_number",
    "service__code",
    "status",
    "priority",
    "channel",
    "description",
    "address_text",
    "latitude",
    "longitude",
    "contact_name",
    "contact_email",
    "contact_phone",
    "media_url",
    "created_at",
    "resolved_at",
    "closed_at",
)


def _mine(user: User) -> Q:
    """The person's requests: filed signed in, or filed without an account under the address
    they have since proved is theirs (found by the address's keyed digest)."""
    mine = Q(reporter=user)
    if user.email_verified_at is not None:
        mine |= Q(reporter__isnull=True) & digest_lookup("contact_email_digest", user.email)
    return mine


def _requests_of(user: User) -> list[ServiceRequest]:
    return list(ServiceRequest.objects.filter(_mine(user)).select_related("service"))


def _requests_export(user: User) -> list[ExportTable]:
    # Rows are read through model instances, not `values()`, so that encrypted fields are
    # decrypted by their field class.
    rows = []
    for service_request in _requests_of(user):
        row = {name: getattr(service_request, name, None) for name in _REQUEST_FIELDS}
        row["service__code"] = service_request.service.code
        # The answers the person may read on their own status page, by the audience table.
        row["answers"] = answers_for(service_request, Audience.REPORTER)
        rows.append(row)
    photos = RequestPhoto.objects.filter(uploaded_by=user).values(
        "public_id", "service_request__tracking_number", "status", "content_type", "created_at"
    )
    requests = ServiceRequest.objects.filter(_mine(user))
    updates = StatusChange.objects.filter(service_request__in=requests, is_public=True).values(
        "service_request__tracking_number", "from_status", "to_status", "public_note", "created_at"
    )
    return [
        ExportTable("requests", export_rows(rows)),
        ExportTable("request_photos", export_rows(photos)),
        ExportTable("request_updates", export_rows(updates)),
    ]


def _requests_erase(user: User) -> Erased:
    requests = _requests_of(user)
    identifiers = {user.email, user.full_name}
    for service_request in requests:
        identifiers |= {
            service_request.contact_name,
            service_request.contact_email,
            service_request.contact_phone,
        }
    for service_request in requests:
        service_request.reporter = None
        service_request.contact_name = ""
        service_request.contact_email = ""
        service_request.contact_phone = ""
        service_request.external_account_id = ""
        service_request.device_id = ""
        service_request.client_token = ""
        service_request.idempotency_key = ""
        service_request.media_url = ""
        service_request.description = redact(service_request.description, identifiers)
        service_request.answers = redact_json(service_request.answers, identifiers)
        service_request.save()
    for change in StatusChange.objects.filter(service_request__in=requests):
        public_note = redact(change.public_note, identifiers)
        internal_note = redact(change.internal_note, identifiers)
        if (public_note, internal_note) != (change.public_note, change.internal_note):
            change.public_note, change.internal_note = public_note, internal_note
            change.save(update_fields=["public_note", "internal_note", "updated_at"])
    photos = list(RequestPhoto.objects.filter(uploaded_by=user))
    delete_files_after_commit(
        name or "" for photo in photos for name in (photo.image.name, photo.raw_upload.name)
    )
    deleted = RequestPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()[0]
    return Erased(deleted=deleted, anonymised=len(requests))


def _comments_export(user: User) -> list[ExportTable]:
    rows = [
        {
            "public_id": comment.public_id,
            "request": comment.service_request.tracking_number,
            "body": comment.body,
            "created_at": comment.created_at,
        }
        for comment in Comment.objects.filter(author=user).select_related("service_request")
    ]
    return [ExportTable("comments", export_rows(rows))]


def _comments_erase(user: User) -> Erased:
    return Erased(deleted=Comment.objects.filter(author=user).delete()[0])


def _following_export(user: User) -> list[ExportTable]:
    rows = Follower.objects.filter(user=user).values(
        "service_request__tracking_number", "created_at"
    )
    return [ExportTable("followed_requests", export_rows(rows))]


def _following_erase(user: User) -> Erased:
    return Erased(deleted=Follower.objects.filter(user=user).delete()[0])


def _ratings_export(user: User) -> list[ExportTable]:
    rows = SatisfactionRating.objects.filter(rater=user).values(
        "service_request__tracking_number", "score", "comment", "created_at"
    )
    return [ExportTable("ratings", export_rows(rows))]


def _ratings_erase(user: User) -> Erased:
    # The score stays in the city's statistics; the words and the rater go.
    anonymised = SatisfactionRating.objects.filter(rater=user).update(rater=None, comment="")
    return Erased(anonymised=anonymised)


register_source(
    PersonalDataSource(
        code="servicerequests.requests",
        name=_("Your requests"),
        description=_(
            "The requests you filed, signed in or with your email address: what you "
            "described, where, your answers, the contact details you gave, the photos you "
            "added and the city's public updates. If you close your account, the requests "
            "stay as public records without your name or contact details."
        ),
        purposes=(SERVICE_REQUESTS.code,),
        count=lambda user: ServiceRequest.objects.filter(_mine(user)).count(),
        export=_requests_export,
        erase=_requests_erase,
        retention=("servicerequests.closed_request_contacts",),
        models=(
            "servicerequests.ServiceRequest",
            "servicerequests.RequestPhoto",
            "servicerequests.StatusChange",
        ),
        order=10,
    )
)
register_source(
    PersonalDataSource(
        code="servicerequests.comments",
        name=_("Your messages about requests"),
        description=_("What you wrote to the city about a request."),
        purposes=(SERVICE_REQUESTS.code,),
        count=lambda user: Comment.objects.filter(author=user).count(),
        export=_comments_export,
        erase=_comments_erase,
        models=("servicerequests.Comment",),
        order=20,
    )
)
register_source(
    PersonalDataSource(
        code="servicerequests.following",
        name=_("Requests you follow"),
        description=_("The requests you asked to hear about."),
        purposes=(SERVICE_REQUESTS.code,),
        count=lambda user: Follower.objects.filter(user=user).count(),
        export=_following_export,
        erase=_following_erase,
        models=("servicerequests.Follower",),
        order=20,
    )
)
register_source(
    PersonalDataSource(
        code="servicerequests.ratings",
        name=_("Your ratings"),
        description=_(
            "How you rated the handling of your requests, and your comments. If you close "
            "your account, the score stays in the statistics without your name or comment."
        ),
        purposes=(SERVICE_REQUESTS.code,),
        count=lambda user: SatisfactionRating.objects.filter(rater=user).count(),
        export=_ratings_export,
        erase=_ratings_erase,
        models=("servicerequests.SatisfactionRating",),
        order=20,
    )
)
