"""What the service-request endpoints read and write (one shape per kind of caller).

* citizens see their own requests with the public timeline;
* staff also see contact details, routing, assignment and internal notes;
* partner keys see the work, never the reporter, and the reporter's contact details only when
  the reporter allows sharing them with partners (`partner_contact`, the `partner_sharing`
  consent).

Answers go through `AnswersFor`, so each caller gets what `audiences.SEES` allows it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cityhall.servicerequests.api_selectors import public_timeline, staff_timeline
from cityhall.servicerequests.audiences import Audience, answers_for, public_field_codes
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.partner_contact import contact_for_partner
from cityhall.servicerequests.services.comments import COMMENT_MAX_LENGTH

STATUS_CHOICES = ServiceRequest.Status.choices


@extend_schema_field({"type": "object", "additionalProperties": {}})
class AnswersFor(serializers.Field):  # type: ignore[type-arg]  # reads the whole request
    """The request's answers that `audience` may see (`audiences.answers_for`), by field code.

    Within one response the public codes are read once per service with answers to filter,
    not once per request.
    """

    def __init__(self, audience: Audience, **kwargs: Any) -> None:
        super().__init__(source="*", **kwargs)
        self.audience = audience
        self._public_codes: dict[int, frozenset[str]] = {}

    def to_representation(self, value: ServiceRequest) -> dict[str, Any]:
        return answers_for(value, self.audience, public_codes=self._public_codes_of)

    def _public_codes_of(self, service_id: int) -> frozenset[str]:
        if service_id not in self._public_codes:
            self._public_codes[service_id] = public_field_codes(service_id)
        return self._public_codes[service_id]


class PublicStep(serializers.Serializer[Any]):
    status = serializers.ChoiceField(source="to_status", choices=STATUS_CHOICES)
    note = serializers.CharField(source="public_note")
    at = serializers.DateTimeField(source="created_at")


class StaffStep(PublicStep):
    from_status = serializers.CharField()
    internal_note = serializers.CharField()
    is_public = serializers.BooleanField()
    actor = serializers.UUIDField(source="actor.public_id", allow_null=True, default=None)


class PersonOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    full_name = serializers.CharField()
    email = serializers.EmailField()


class RequestSummary(serializers.Serializer[Any]):
    """The fields every caller allowed to see a request gets."""

    id = serializers.UUIDField(source="public_id")
    tracking_number = serializers.CharField()
    service = serializers.CharField(source="service.code")
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    priority = serializers.ChoiceField(choices=ServiceRequest.Priority.choices)
    address_text = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    district = serializers.CharField(source="district.code", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)


class CitizenRequestOutput(RequestSummary):
    description = serializers.CharField()
    answers = AnswersFor(Audience.REPORTER)
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(PublicStep(many=True))
    def get_timeline(self, service_request: ServiceRequest) -> list[dict[str, Any]]:
        return list(PublicStep(public_timeline(service_request), many=True).data)


class PartnerContactOutput(serializers.Serializer[Any]):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class PartnerRequestOutput(CitizenRequestOutput):
    """A partner's view: the work to do, the public timeline, and the reporter's contact
    details only while the reporter allows sharing them."""

    # A list passes `partner_contacts` (`contacts_for_partner` of the page) in the context, so
    # that consent is read once per page rather than once per request.

    answers = AnswersFor(Audience.PARTNER)
    contact = serializers.SerializerMethodField(
        help_text="How to reach the reporter about this request, given only when the reporter "
        "allows sharing their contact details with the partner who handles it; null otherwise."
    )

    @extend_schema_field(PartnerContactOutput(allow_null=True))
    def get_contact(self, service_request: ServiceRequest) -> dict[str, str] | None:
        contacts = self.context.get("partner_contacts")
        found = (
            contacts.get(service_request.id)
            if contacts is not None
            else contact_for_partner(service_request)
        )
        return None if found is None else asdict(found)


class StaffRequestListItem(RequestSummary):
    department = serializers.CharField(source="department.code")
    assignee = serializers.UUIDField(source="assignee.public_id", allow_null=True, default=None)
    partner = serializers.UUIDField(
        source="assigned_partner.public_id", allow_null=True, default=None
    )
    team = serializers.UUIDField(source="assigned_team.public_id", allow_null=True, default=None)
    channel = serializers.CharField()


#: What a staff member sees only after giving a reason (`services.contact_reveals`).
CONTACT_FIELDS = ("reporter", "contact_name", "contact_email", "contact_phone")


class StaffRequestOutput(StaffRequestListItem):
    """The whole request for staff. `reporter` and the contact fields are present, and
    `answers` hold the private ones, only when `contact_revealed` is true: the caller gave a
    reason (the `reason` parameter of the request's GET) in the last CONTACT_REVEAL_MINUTES."""

    description = serializers.CharField()
    answers = AnswersFor(Audience.STAFF)
    contact_revealed = serializers.SerializerMethodField()
    reporter = PersonOutput(allow_null=True, required=False)
    contact_name = serializers.CharField(required=False)
    contact_email = serializers.CharField(required=False)
    contact_phone = serializers.CharField(required=False)
    timeline = serializers.SerializerMethodField()

    def get_contact_revealed(self, service_request: ServiceRequest) -> bool:
        return bool(self.context.get("contact_revealed"))

    def to_representation(self, instance: ServiceRequest) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not data["contact_revealed"]:
            for name in CONTACT_FIELDS:
                data.pop(name, None)
            data["answers"] = answers_for(instance, Audience.STAFF_BEFORE_REASON)
        return data

    @extend_schema_field(StaffStep(many=True))
    def get_timeline(self, service_request: ServiceRequest) -> list[dict[str, Any]]:
        return list(StaffStep(staff_timeline(service_request), many=True).data)


class StatusFilter(serializers.Serializer[Any]):
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=STATUS_CHOICES),
        required=False,
        help_text="Keep these statuses (repeat the parameter); open ones by default.",
    )


class NewRequestInput(serializers.Serializer[Any]):
    service = serializers.SlugField(max_length=60, help_text="The service's code.")
    description = serializers.CharField(max_length=4000, trim_whitespace=True)
    answers = serializers.DictField(
        required=False, default=dict, help_text="Answers to the service's fields, by field code."
    )
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
    address_text = serializers.CharField(
        required=False, default="", max_length=300, allow_blank=True
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("latitude" in attrs) != ("longitude" in attrs):
            missing = "longitude" if "latitude" in attrs else "latitude"
            raise serializers.ValidationError({missing: [_("Give both latitude and longitude.")]})
        return attrs


class ReopenInput(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=4000, help_text="Why the problem is not solved; read by staff only."
    )


class FollowInput(serializers.Serializer[Any]):
    tracking_number = serializers.CharField(max_length=20)


class FollowOutput(serializers.Serializer[Any]):
    tracking_number = serializers.CharField(source="service_request.tracking_number")
    followed_at = serializers.DateTimeField(source="created_at")


class CommentInput(serializers.Serializer[Any]):
    body = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH,
        help_text="Read by the city's staff and the request's reporter only.",
    )


class CommentOutput(serializers.Serializer[Any]):
    body = serializers.CharField()
    at = serializers.DateTimeField()
    is_own = serializers.BooleanField(help_text="Whether the caller wrote it.")


class CommentsOutput(serializers.Serializer[Any]):
    can_comment = serializers.BooleanField(
        help_text="Whether the caller may comment: they filed or follow the request."
    )
    comments = CommentOutput(many=True)


class StatusChangeInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    public_note = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=4000
    )
    internal_note = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=4000
    )


class PartnerAssignmentInput(serializers.Serializer[Any]):
    partner = serializers.UUIDField(
        allow_null=True, help_text="An active partner organisation's id; null takes it back."
    )


class PublicUpdateInput(serializers.Serializer[Any]):
    public_note = serializers.CharField(max_length=4000)


class AssignmentInput(serializers.Serializer[Any]):
    assignee = serializers.UUIDField(
        allow_null=True, help_text="A staff member of the request's department; null unassigns."
    )
