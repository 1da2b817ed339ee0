"""A citizen with data in every declared source, for the export and erasure tests.

Their email, name and phone number are also written where a careless erasure would miss them:
in a request's description and answers, a staff note, a rating's comment, a message's body,
a suppression, an audit line's network address, a photo's file and an earlier export's ZIP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from cityhall.accounts.models import PersonalAccessToken, User
from cityhall.accounts.tests.factories import UserFactory
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.audit import record_audit_event
from cityhall.notifications.models import (
    ChannelKind,
    Preference,
    RecipientSettings,
    Suppression,
    Topic,
)
from cityhall.notifications.tests.factories import PushSubscriptionFactory, queued_email
from cityhall.privacy.models import AccountClosure, ConsentRecord, DataExport
from cityhall.servicerequests.models import (
    Comment,
    Follower,
    RequestPhoto,
    SatisfactionRating,
    ServiceRequest,
    StatusChange,
)
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

EMAIL = "jeanne.erasable@example.org"
NAME = "Jeanne Effacée"
PHONE = "+15145550199"
#: The phone number as a person writes it in free text.
PHONE_AS_WRITTEN = "514 555-0199"
IP_ADDRESS = "203.0.113.77"


@dataclass(frozen=True)
class CitizenWithData:
    user: User
    service_request: ServiceRequest
    other_request: ServiceRequest


def citizen_with_data() -> CitizenWithData:
    """Make the citizen and their data in every source; files go to the default storage."""
    user = UserFactory(email=EMAIL, full_name=NAME)
    service = ServiceFactory(code="potholes", department__code="public-works")
    service_request = ServiceRequestFactory(
        service=service,
        reporter=user,
        tracking_number="RAS-26-004242",
        contact_name=NAME,
        contact_email=EMAIL,
        contact_phone=PHONE,
        description=f"Deep pothole in front of my house. {NAME}, call me at {PHONE_AS_WRITTEN}.",
        answers={"depth": "deep", "note": f"Ask for {NAME}"},
        address_text="12 rue des Saules",
        client_token="client-token-42",
        idempotency_key="idem-42",
    )
    StatusChange.objects.create(
        service_request=service_request,
        to_status=ServiceRequest.Status.ACKNOWLEDGED,
        from_status=ServiceRequest.Status.SUBMITTED,
        public_note="A crew is on its way.",
        internal_note=f"Called {NAME} back at {PHONE}.",
    )
    photo_name = default_storage.save("requests/jeanne-photo.jpg", ContentFile(b"\xff\xd8 jpeg"))
    RequestPhoto.objects.create(
        service_request=service_request,
        status=RequestPhoto.Status.CLEAN,
        image=photo_name,
        content_type="image/jpeg",
        width=1,
        height=1,
        byte_size=8,
        uploaded_by=user,
    )
    SatisfactionRating.objects.create(
        service_request=service_request, rater=user, score=4, comment=f"Thanks, {NAME}"
    )
    # Filed by phone before the account existed, under the same address.
    ServiceRequestFactory(
        service=service,
        tracking_number="RAS-26-004241",
        channel=ServiceRequest.Channel.PHONE,
        contact_name=NAME,
        contact_email=EMAIL.upper(),
        contact_phone=PHONE_AS_WRITTEN,
        description="Streetlight out on rue des Saules.",
    )
    other_request = ServiceRequestFactory(service=service, tracking_number="RAS-26-004243")
    Follower.objects.create(service_request=other_request, user=user)
    Comment.objects.create(service_request=other_request, author=user, body="Still there today.")
    delivery = queued_email(user, subject="Your request", body=f"Hello {NAME}")
    delivery.notification.read_at = timezone.now()
    delivery.notification.save()
    Preference.objects.create(
        user=user, topic=Topic.MY_REQUESTS, channel=ChannelKind.SMS, is_enabled=True
    )
    RecipientSettings.objects.create(user=user, phone_number=PHONE)
    PushSubscriptionFactory(user=user)
    Suppression.objects.create(
        channel=ChannelKind.EMAIL, address=EMAIL, reason=Suppression.Reason.HARD_BOUNCE
    )
    ConsentRecord.objects.create(
        user=user,
        purpose="research",
        is_given=True,
        purpose_version=1,
        text_shown="Invite you to surveys.",
        language="en",
        source=ConsentRecord.Source.PORTAL,
    )
    PersonalAccessToken.objects.create(
        user=user, name="My script", prefix="tok42", secret_hash="0" * 64
    )
    record_audit_event(actor=user, action="accounts.signed_in", target=user, ip_address=IP_ADDRESS)
    earlier_zip = default_storage.save(
        "private/exports/earlier.zip", ContentFile(_zip_holding(f"{EMAIL} {NAME}"))
    )
    DataExport.objects.create(
        user=user,
        status=DataExport.Status.READY,
        file_name=earlier_zip,
        size_bytes=100,
        ready_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=3),
    )
    AccountClosure.objects.create(
        user=user, status=AccountClosure.Status.CANCELLED, cancelled_at=timezone.now()
    )
    return CitizenWithData(user, service_request, other_request)


def _zip_holding(text: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.json", text)
    return buffer.getvalue()
