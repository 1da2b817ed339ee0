"""Reads of service requests. The `get_*_for_*` selectors are the only doors to one request.

Each raises NotFound for a request the actor may not see, so that existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, F, QuerySet

from cityhall.accounts.models import PartnerOrganisation, StaffRole, Team, User
from cityhall.accounts.selectors import department_ids_administered_by
from cityhall.catalog.models import Department, Service
from cityhall.core.audit import record_audit_event
from cityhall.core.encrypted_fields import digest_lookup
from cityhall.core.errors import NotFound
from cityhall.places.h3cells import cell_for, cells_in_ring, distance_m, rings_to_cover
from cityhall.servicerequests.access import (
    department_ids_handled_by,
    partner_organisation_ids_for,
    require_staff_access,
)
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.duplicates import DuplicateEvidence, duplicate_score, text_similarity
from cityhall.servicerequests.models import (
    Comment,
    Follower,
    RequestPhoto,
    SatisfactionRating,
    ServiceRequest,
    StatusChange,
)

#: Decimal places kept in public coordinates of sensitive services (about 100 m).
COARSE_DECIMALS = 3


@dataclass(frozen=True)
class PublicTimelineStep:
    status: str
    note: str
    at: datetime
    #: An update from the city that left the status as it was (not a status change).
    is_update: bool = False

    @property
    def status_label(self) -> str:
        """The status's name in the active language."""
        return str(ServiceRequest.Status(self.status).label)


@dataclass(frozen=True)
class PublicServiceRequest:
    """What anyone holding the tracking number may read: no reporter, contact or free text."""

    tracking_number: str
    service_code: str
    service_name: str
    status: str
    status_label: str
    submitted_at: datetime
    updated_at: datetime
    district_name: str
    latitude: float | None
    longitude: float | None
    timeline: list[PublicTimelineStep]
    #: When a resolved or closed request was resolved or closed; None otherwise.
    settled_at: datetime | None = None
    #: The tracking number of the request a duplicate was merged into; "" otherwise.
    duplicate_of: str = ""

    @property
    def is_open(self) -> bool:
        """Whether the city still works on it (so an expected resolution means something)."""
        return self.status in ServiceRequest.OPEN_STATUSES


def get_service_request_for_citizen(
    *, public_id: UUID, user: User | AnonymousUser
) -> ServiceRequest:
    """The request `user` filed. Raises NotFound for anyone else's request."""
    service_request = (
        ServiceRequest.objects.select_related("service", "district")
        .filter(public_id=public_id, reporter__isnull=False)
        .first()
    )
    if service_request is None or not user.is_authenticated:
        raise NotFound
    if service_request.reporter_id != user.pk:
        raise NotFound
    return service_request


def get_public_service_request(*, tracking_number: str) -> PublicServiceRequest:
    """The public view of a request: status, public timeline and (coarsened if sensitive) place.

    The description, answers, address and anything about the reporter are left out, since
    they may hold personal data. Raises NotFound for an unknown number.
    """
    return _public_view_of(_status_row(tracking_number))


# The columns the status page shows, so that no description, answers or boundary is read.
_STATUS_COLUMNS = (
    "id",
    "reporter_id",
    "tracking_number",
    "status",
    "created_at",
    "updated_at",
    "latitude",
    "longitude",
    "due_at",
    "due_change_reason",
    "resolved_at",
    "closed_at",
    "duplicate_of__tracking_number",
    "service__code",
    "service__name_en",
    "service__name_fr",
    "service__is_sensitive",
    "service__is_active",
    "district__name",
    "district__name_fr",
)


def _status_row(tracking_number: str) -> ServiceRequest:
    """The request with this number, its service and district, holding only _STATUS_COLUMNS.

    Raises NotFound for an unknown number.
    """
    service_request = (
        ServiceRequest.objects.select_related("service", "district", "duplicate_of")
        .only(*_STATUS_COLUMNS)
        .filter(tracking_number=_normalised_tracking_number(tracking_number))
        .order_by()
        .first()
    )
    if service_request is None:
        raise NotFound
    return service_request


def _public_view_of(service_request: ServiceRequest) -> PublicServiceRequest:
    latitude, longitude = service_request.latitude, service_request.longitude
    if service_request.service.is_sensitive and latitude is not None and longitude is not None:
        latitude, longitude = round(latitude, COARSE_DECIMALS), round(longitude, COARSE_DECIMALS)
    steps = StatusChange.objects.filter(
        service_request_id=service_request.pk, is_public=True
    ).values_list("from_status", "to_status", "public_note", "created_at")
    settled_at = None
    if service_request.status == ServiceRequest.Status.RESOLVED:
        settled_at = service_request.resolved_at
    elif service_request.status == ServiceRequest.Status.CLOSED:
        settled_at = service_request.closed_at
    duplicate_of = service_request.duplicate_of
    return PublicServiceRequest(
        tracking_number=service_request.tracking_number,
        service_code=service_request.service.code,
        service_name=service_request.service.name,
        status=service_request.status,
        status_label=str(service_request.get_status_display()),
        submitted_at=service_request.created_at,
        updated_at=service_request.updated_at,
        district_name=service_request.district.display_name if service_request.district else "",
        latitude=latitude,
        longitude=longitude,
        timeline=[
            PublicTimelineStep(to_status, note, at, is_update=from_status == to_status)
            for from_status, to_status, note, at in steps
        ],
        settled_at=settled_at,
        duplicate_of=duplicate_of.tracking_number if duplicate_of else "",
    )


def get_service_request_for_staff(*, public_id: UUID, staff: User) -> ServiceRequest:
    """The request if `staff` may handle requests of the department it was routed to.

    Raises NotFound otherwise. Every successful read is audited, because requests hold
    personal data.
    """
    return _audited_staff_read(ServiceRequest.objects.filter(public_id=public_id), staff)


def get_service_request_for_staff_by_tracking_number(
    *, tracking_number: str, staff: User
) -> ServiceRequest:
    """The request with this tracking number (any case, spaces around ignored) if `staff` may
    handle it; NotFound otherwise, as for `get_service_request_for_staff`, and audited alike."""
    number = _normalised_tracking_number(tracking_number)
    return _audited_staff_read(ServiceRequest.objects.filter(tracking_number=number), staff)


def _audited_staff_read(found: QuerySet[ServiceRequest], staff: User) -> ServiceRequest:
    service_request = found.select_related(
        "service", "department", "district", "reporter", "assignee", "assigned_team"
    ).first()
    if service_request is None:
        raise NotFound
    require_staff_access(staff, service_request)
    record_audit_event(
        actor=staff, action=ServiceRequestAuditAction.VIEWED_BY_STAFF, target=service_request
    )
    return service_request


def service_requests_for_staff_queue(  # noqa: PLR0913 (each keyword is one of the queue's filters)
    *,
    staff: User,
    statuses: list[str] | None = None,
    service: Service | None = None,
    assignee: User | None = None,
    team: Team | None = None,
    teams_of: User | None = None,
    overdue_at: datetime | None = None,
) -> QuerySet[ServiceRequest]:
    """Requests routed to the departments whose requests `staff` handles, soonest due first.

    `statuses` defaults to the open ones; `team` keeps those given to that team, `teams_of`
    those given to a team that person is a member of; `overdue_at` keeps those due before that
    moment.
    """
    queue = ServiceRequest.objects.filter(
        department_id__in=department_ids_handled_by(staff),
        status__in=statuses or sorted(ServiceRequest.OPEN_STATUSES),
    ).select_related("service", "department", "assignee", "assigned_partner", "assigned_team")
    if service is not None:
        queue = queue.filter(service=service)
    if assignee is not None:
        queue = queue.filter(assignee=assignee)
    if team is not None:
        queue = queue.filter(assigned_team=team)
    if teams_of is not None:
        queue = queue.filter(assigned_team__members=teams_of)
    if overdue_at is not None:
        queue = queue.filter(due_at__lt=overdue_at)
    return queue.order_by(F("due_at").asc(nulls_last=True), "created_at", "id")


def likely_duplicates(  # noqa: PLR0913 (a point, a text and a moment describe the new request)
    *,
    service: Service,
    latitude: float,
    longitude: float,
    description: str,
    at: datetime,
    exclude_id: int | None = None,
) -> list[tuple[ServiceRequest, float]]:
    """Open requests for `service` near the point and recent, best `duplicates` score first.

    "Near" and "recent" are the service's `duplicate_radius_m` and `duplicate_window_hours`.
    Only the first entry can be a likely duplicate (`duplicates.likely_duplicate`).
    """
    origin = cell_for(latitude, longitude)
    radius = float(service.duplicate_radius_m)
    cells: set[str] = set()
    for ring in range(rings_to_cover(origin, radius) + 1):
        cells |= cells_in_ring(origin, ring)
    nearby = ServiceRequest.objects.filter(
        service=service,
        status__in=sorted(ServiceRequest.OPEN_STATUSES),
        h3_cell__in=cells,
        created_at__gte=at - timedelta(hours=service.duplicate_window_hours),
        created_at__lte=at,
    )
    if exclude_id is not None:
        nearby = nearby.exclude(id=exclude_id)
    scored: list[tuple[ServiceRequest, float]] = []
    for candidate in nearby:
        if candidate.latitude is None or candidate.longitude is None:
            continue
        distance = distance_m(latitude, longitude, candidate.latitude, candidate.longitude)
        if distance > radius:
            continue
        evidence = DuplicateEvidence(
            distance_m=distance,
            age_hours=(at - candidate.created_at).total_seconds() / 3600,
            text_similarity=text_similarity(description, candidate.description),
        )
        scored.append((candidate, duplicate_score(evidence)))
    scored.sort(key=lambda item: (-item[1], item[0].id))
    return scored


def _normalised_tracking_number(tracking_number: str) -> str:
    return tracking_number.strip().upper()


def get_service_request_for_reporter(
    *, tracking_number: str, user: User | AnonymousUser
) -> ServiceRequest:
    """The request with this number if `user` filed it. Raises NotFound for anyone else."""
    if not user.is_authenticated:
        raise NotFound
    service_request = (
        ServiceRequest.objects.select_related("service", "district")
        .filter(tracking_number=_normalised_tracking_number(tracking_number), reporter_id=user.pk)
        .first()
    )
    if service_request is None:
        raise NotFound
    return service_request


def existing_tracking_number(*, tracking_number: str) -> str | None:
    """The number as stored if a request has it (whatever the case typed), else None.

    Anyone may look a number up: the status page it leads to shows only public data.
    """
    found: str | None = (
        ServiceRequest.objects.filter(tracking_number=_normalised_tracking_number(tracking_number))
        .values_list("tracking_number", flat=True)
        .first()
    )
    return found


def get_service_request_to_follow(*, tracking_number: str) -> ServiceRequest:
    """The request to hand to `follow_service_request` (which checks who may follow it).

    Raises NotFound for an unknown number.
    """
    service_request = (
        ServiceRequest.objects.select_related("service")
        .filter(tracking_number=_normalised_tracking_number(tracking_number))
        .first()
    )
    if service_request is None:
        raise NotFound
    return service_request


@dataclass(frozen=True)
class ExpectedResolution:
    """When the city aims to resolve a request, and why staff moved that date (if they did)."""

    due_at: datetime | None
    reason: str


def expected_resolution(*, tracking_number: str) -> ExpectedResolution:
    """The request's due date and the reason staff gave for moving it ("" if they did not)."""
    found = (
        ServiceRequest.objects.filter(tracking_number=_normalised_tracking_number(tracking_number))
        .values_list("due_at", "due_change_reason")
        .first()
    )
    return ExpectedResolution(*found) if found else ExpectedResolution(None, "")


def service_requests_for_citizen(*, user: User) -> QuerySet[ServiceRequest]:
    """The requests `user` filed, newest first, with their services loaded."""
    return (
        ServiceRequest.objects.filter(reporter=user)
        .select_related("service")
        .order_by("-created_at", "-id")
    )


def service_requests_with_contact_email(*, email: str) -> QuerySet[ServiceRequest]:
    """Requests whose contact email is `email` (case and spaces aside), newest first.

    The email is encrypted at rest: this finds it by its keyed digest, the only way to filter
    on it. A blank `email` finds nothing.
    """
    return ServiceRequest.objects.filter(digest_lookup("contact_email_digest", email)).order_by(
        "-created_at", "-id"
    )


def service_requests_followed_by(*, user: User) -> QuerySet[ServiceRequest]:
    """The requests `user` follows and did not file, newest first, with their services loaded.

    A reporter may follow their own request; it is listed with the requests they filed.
    """
    return (
        ServiceRequest.objects.filter(followers__user=user)
        .exclude(reporter=user)
        .select_related("service")
        .order_by("-created_at", "-id")
    )


def staff_of_department(*, department_id: int, roles: set[str]) -> QuerySet[User]:
    """Active staff holding one of `roles` in the department itself (not city-wide), by name."""
    return (
        User.objects.filter(
            is_active=True,
            is_staff=True,
            staff_roles__department_id=department_id,
            staff_roles__role__in=sorted(roles),
        )
        .distinct()
        .order_by("full_name", "email")
    )


def staff_to_tell(service_request: ServiceRequest) -> list[User]:
    """Who hears of a request's news for staff: its assignee, else its department's agents."""
    assignee = service_request.assignee
    if assignee is not None and assignee.is_active:
        return [assignee]
    return list(
        staff_of_department(
            department_id=service_request.department_id, roles={StaffRole.Role.AGENT}
        )
    )


def assignable_staff(*, service_request: ServiceRequest) -> QuerySet[User]:
    """Who the request may be assigned to: the agents and supervisors of its department."""
    return staff_of_department(
        department_id=service_request.department_id,
        roles={StaffRole.Role.AGENT, StaffRole.Role.SUPERVISOR},
    )


@dataclass(frozen=True)
class SatisfactionSummary:
    average: float | None
    count: int


def satisfaction_summary(*, staff: User) -> SatisfactionSummary:
    """The average rating and number of ratings of requests in `staff`'s departments."""
    figures = SatisfactionRating.objects.filter(
        service_request__department_id__in=department_ids_handled_by(staff)
    ).aggregate(average=Avg("score"), count=Count("id"))
    return SatisfactionSummary(average=figures["average"], count=figures["count"])


def get_satisfaction_rating(*, service_request: ServiceRequest) -> SatisfactionRating | None:
    """The reporter's rating of a request already loaded through one of the doors above."""
    return SatisfactionRating.objects.filter(service_request=service_request).first()


def service_requests_for_partner(*, user: User) -> QuerySet[ServiceRequest]:
    """Requests assigned to the organisations `user` acts for, open first, soonest due first."""
    return (
        ServiceRequest.objects.filter(assigned_partner_id__in=partner_organisation_ids_for(user))
        .select_related("service", "district", "assigned_partner")
        .order_by(F("resolved_at").asc(nulls_first=True), F("due_at").asc(nulls_last=True), "id")
    )


def get_service_request_for_partner(*, public_id: UUID, user: User) -> ServiceRequest:
    """A request assigned to one of `user`'s organisations; NotFound for any other.

    Every successful read is audited. Callers show partners `partner_view_of` the request,
    never the model, which holds the reporter's personal data.
    """
    service_request = service_requests_for_partner(user=user).filter(public_id=public_id).first()
    if service_request is None:
        raise NotFound
    record_audit_event(
        actor=user, action=ServiceRequestAuditAction.VIEWED_BY_PARTNER, target=service_request
    )
    return service_request


@dataclass(frozen=True)
class PartnerPhoto:
    """A photo of the request, served by the portal's photo view to the partner's members."""

    public_id: UUID
    width: int
    height: int


@dataclass(frozen=True)
class PartnerServiceRequest:
    """What a partner needs to do the work: the problem and place, never who reported it."""

    public_id: UUID
    tracking_number: str
    service_name: str
    status: str
    status_label: str
    priority_label: str
    description: str
    address_text: str
    district_name: str
    latitude: float | None
    longitude: float | None
    due_at: datetime | None
    submitted_at: datetime
    timeline: list[PublicTimelineStep]
    photos: list[PartnerPhoto]


def partner_view_of(service_request: ServiceRequest) -> PartnerServiceRequest:
    """The partner's view of a request loaded by `get_service_request_for_partner`.

    It holds the request's photos, which carry no metadata, but nothing about the reporter.
    """
    steps = StatusChange.objects.filter(service_request=service_request, is_public=True)
    return PartnerServiceRequest(
        public_id=service_request.public_id,
        tracking_number=service_request.tracking_number,
        service_name=service_request.service.name,
        status=service_request.status,
        status_label=str(service_request.get_status_display()),
        priority_label=str(service_request.get_priority_display()),
        description=service_request.description,
        address_text=service_request.address_text,
        district_name=service_request.district.display_name if service_request.district else "",
        latitude=service_request.latitude,
        longitude=service_request.longitude,
        due_at=service_request.due_at,
        submitted_at=service_request.created_at,
        timeline=[
            PublicTimelineStep(
                s.to_status, s.public_note, s.created_at, is_update=s.from_status == s.to_status
            )
            for s in steps
        ],
        photos=[
            PartnerPhoto(*row)
            # Clean photos only: one awaiting cleaning still carries its metadata.
            for row in RequestPhoto.objects.filter(
                service_request=service_request, status=RequestPhoto.Status.CLEAN
            ).values_list("public_id", "width", "height")
        ],
    )


def departments_to_hand_over_to(*, service_request: ServiceRequest) -> QuerySet[Department]:
    """Every department but the request's own, by name, for re-routing."""
    return Department.objects.exclude(pk=service_request.department_id).order_by("name_en")


def teams_to_hand_over_to(*, department_id: int) -> QuerySet[Team]:
    """The department's active teams, by name, for giving a request to one."""
    return Team.objects.filter(department_id=department_id, is_active=True).order_by("name_en")


def team_members_to_choose(*, department_id: int) -> QuerySet[User]:
    """Who may be a member of the department's teams: its agents, supervisors and administrators."""
    return staff_of_department(
        department_id=department_id,
        roles={StaffRole.Role.AGENT, StaffRole.Role.SUPERVISOR, StaffRole.Role.DEPARTMENT_ADMIN},
    )


def teams_for_admin(*, actor: User) -> QuerySet[Team]:
    """The teams of the departments `actor` administers (inactive ones too), with their members."""
    return (
        Team.objects.filter(department_id__in=department_ids_administered_by(actor))
        .select_related("department")
        .prefetch_related("members")
        .order_by("department__name_en", "name_en")
    )


def get_team_for_admin(*, actor: User, public_id: UUID) -> Team:
    """One team of a department `actor` administers; NotFound otherwise."""
    team = teams_for_admin(actor=actor).filter(public_id=public_id).first()
    if team is None:
        raise NotFound
    return team


def teams_for_staff_queue(*, staff: User) -> QuerySet[Team]:
    """The teams of `staff`'s departments (inactive ones too: they may still hold requests)."""
    return Team.objects.filter(department_id__in=department_ids_handled_by(staff)).order_by(
        "department__name_en", "name_en"
    )


def partners_to_hand_over_to() -> QuerySet[PartnerOrganisation]:
    """Active partner organisations, by name, for handing a request to one."""
    return PartnerOrganisation.objects.filter(is_active=True).order_by("name")


@dataclass(frozen=True)
class CitizenComment:
    """A comment as a citizen reads it: whether it is their own, never who else wrote it."""

    body: str
    at: datetime
    is_own: bool


@dataclass(frozen=True)
class CitizenComments:
    """The comments a citizen may read on a request, and whether they may add one."""

    comments: list[CitizenComment]
    can_comment: bool


NO_COMMENTS = CitizenComments(comments=[], can_comment=False)


def comments_for_citizen(*, tracking_number: str, user: User | AnonymousUser) -> CitizenComments:
    """The comments on the request that `user` may read, oldest first.

    Comments are between citizens and staff, never public: the reporter reads every comment
    on their request (followers' ones without their names), a follower only their own, and
    anyone else none. Only the reporter and followers may comment (`add_comment` decides).
    """
    if not isinstance(user, User) or not user.is_active:
        return NO_COMMENTS
    found = (
        ServiceRequest.objects.filter(tracking_number=_normalised_tracking_number(tracking_number))
        .values_list("id", "reporter_id")
        .first()
    )
    if found is None:
        return NO_COMMENTS
    return _comments_on(*found, user=user)


def _follows(request_id: int, user: User) -> bool:
    return Follower.objects.filter(service_request_id=request_id, user=user).exists()


def _comments_on(
    request_id: int, reporter_id: int | None, *, user: User, is_following: bool | None = None
) -> CitizenComments:
    """The comments `user` may read; `is_following` saves a query when the caller knows it."""
    comments = Comment.objects.filter(service_request_id=request_id)
    if reporter_id != user.pk:
        if is_following is None:
            is_following = _follows(request_id, user)
        if not is_following:
            return NO_COMMENTS
        comments = comments.filter(author=user)
    return CitizenComments(
        comments=[
            CitizenComment(body=body, at=at, is_own=author_id == user.pk)
            for body, at, author_id in comments.values_list("body", "created_at", "author_id")
        ],
        can_comment=True,
    )


@dataclass(frozen=True)
class StatusPage:
    """What the status page shows one visitor (see `get_status_page_for_citizen`)."""

    public: PublicServiceRequest
    expected: ExpectedResolution
    #: The whole request, with what its reporter wrote: set for the reporter only.
    own: ServiceRequest | None
    comments: CitizenComments
    #: Signed in, not the reporter, and the service is listed and not sensitive (the
    #: reporter hears of progress anyway; only the reporter may follow a sensitive request).
    can_follow: bool
    #: Signed in, not the reporter, and following the request (and so may unfollow it).
    is_following: bool = False
    #: The service is listed and not sensitive, so that anyone signed in but the reporter
    #: may follow it (an anonymous visitor is offered to sign in for that).
    is_followable: bool = False


def get_status_page_for_citizen(*, tracking_number: str, user: User | AnonymousUser) -> StatusPage:
    """The status page of the request with this number, as `user` may see it.

    Anyone sees the public view; the reporter also their request and every comment, a
    follower their own comments. Raises NotFound for an unknown number. An anonymous
    visitor costs two queries: the request with its service and district, and its timeline.
    """
    row = _status_row(tracking_number)
    person = user if isinstance(user, User) and user.is_active else None
    own, comments, is_following = None, NO_COMMENTS, False
    is_followable = row.service.is_active and not row.service.is_sensitive
    if person is not None and row.reporter_id == person.pk:
        own = get_service_request_for_reporter(tracking_number=row.tracking_number, user=person)
        comments = _comments_on(row.pk, row.reporter_id, user=person)
    elif person is not None:
        is_following = _follows(row.pk, person)
        comments = _comments_on(row.pk, row.reporter_id, user=person, is_following=is_following)
    return StatusPage(
        public=_public_view_of(row),
        expected=ExpectedResolution(row.due_at, row.due_change_reason),
        own=own,
        comments=comments,
        can_follow=person is not None and own is None and is_followable,
        is_following=is_following,
        is_followable=is_followable,
    )


def comments_for_staff(*, service_request: ServiceRequest) -> QuerySet[Comment]:
    """Every comment on a request loaded through `get_service_request_for_staff`, oldest first."""
    return Comment.objects.filter(service_request=service_request).select_related("author")
