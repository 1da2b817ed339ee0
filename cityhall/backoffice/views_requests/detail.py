"""One request's page for staff, and the changes made from it: internal notes, assignee,
merging.

Every change goes through a servicerequests service; a refused change is shown on the page
and leaves the request as it was. Handing over, due dates, updates and splits are in
`handling.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.forms_requests import (
    ASSIGN_TO_ME,
    ASSIGN_TO_NOBODY,
    AssignForm,
    ContactRevealForm,
    DueDateForm,
    InternalNoteForm,
    MergeForm,
    MergeIntoForm,
    PartnerForm,
    PublicUpdateForm,
    RerouteForm,
    StatusChangeForm,
    TeamForm,
)
from cityhall.backoffice.views_requests.common import (
    SECTION_OF_FORM,
    actor_of,
    load_for_staff,
    section_url,
)
from cityhall.backoffice.views_requests.queue import row_for
from cityhall.catalog.answer_labels import label_answers
from cityhall.catalog.selectors import fields_for_request_form
from cityhall.core.errors import CityHallError, NotFound
from cityhall.portal.views_requests.location import policy_allowing_tiles
from cityhall.servicerequests.access import department_ids_handled_by
from cityhall.servicerequests.audiences import Audience, answers_for
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import (
    assignable_staff,
    comments_for_staff,
    departments_to_hand_over_to,
    get_satisfaction_rating,
    get_service_request_for_staff_by_tracking_number,
    likely_duplicates,
    partners_to_hand_over_to,
    teams_to_hand_over_to,
)
from cityhall.servicerequests.services import (
    STAFF_TRANSITIONS,
    add_internal_note,
    assign_service_request,
    merge_duplicate,
)
from cityhall.servicerequests.staff_reads import staff_audience

#: How many possible duplicates the page lists.
DUPLICATES_SHOWN = 5


def allowed_statuses(service_request: ServiceRequest) -> list[str]:
    allowed = STAFF_TRANSITIONS.get(service_request.status, frozenset())
    return [value for value in ServiceRequest.Status.values if value in allowed]


def _possible_duplicates(
    service_request: ServiceRequest, actor: User
) -> list[tuple[ServiceRequest, float]]:
    """Earlier open requests that may be the same problem, among those `actor` may handle."""
    if not service_request.is_open:
        return []
    if service_request.latitude is None or service_request.longitude is None:
        return []
    department_ids = department_ids_handled_by(actor)
    scored = likely_duplicates(
        service=service_request.service,
        latitude=service_request.latitude,
        longitude=service_request.longitude,
        description=service_request.description,
        at=service_request.created_at,
        exclude_id=service_request.pk,
    )
    return [item for item in scored if item[0].department_id in department_ids][:DUPLICATES_SHOWN]


def staff_choices(service_request: ServiceRequest) -> list[tuple[str, str]]:
    return [
        (str(user.public_id), user.full_name or user.email)
        for user in assignable_staff(service_request=service_request)
    ]


def department_choices(service_request: ServiceRequest) -> list[tuple[str, str]]:
    departments = departments_to_hand_over_to(service_request=service_request)
    return [(str(department.public_id), department.name) for department in departments]


def partner_choices() -> list[tuple[str, str]]:
    return [(str(partner.public_id), partner.name) for partner in partners_to_hand_over_to()]


def team_choices(service_request: ServiceRequest) -> list[tuple[str, str]]:
    teams = teams_to_hand_over_to(department_id=service_request.department_id)
    return [(str(team.public_id), team.name) for team in teams]


def render_detail(
    request: HttpRequest, service_request: ServiceRequest, **forms: Any
) -> HttpResponse:
    """The request's page; `forms` replaces the blank form of the same name (one with errors)."""
    actor = actor_of(request)
    # Contact details and private answers wait for a reason (views_requests/contact.py).
    audience = staff_audience(service_request=service_request, staff=actor)
    shown = answers_for(service_request, audience)
    context: dict[str, Any] = {
        "service_request": service_request,
        "sla": row_for(service_request, timezone.now()),
        "answers": label_answers(
            fields=fields_for_request_form(service_request.service), answers=shown
        ),
        "contact_revealed": audience == Audience.STAFF,
        "answers_held_back": len(answers_for(service_request, Audience.STAFF)) - len(shown),
        "reveal_form": ContactRevealForm(),
        # Read through the request the audited door returned, so it inherits that check.
        "timeline": service_request.status_changes.select_related("actor"),
        "comments": comments_for_staff(service_request=service_request),
        "duplicates": _possible_duplicates(service_request, actor),
        "rating": get_satisfaction_rating(service_request=service_request),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "status_form": StatusChangeForm(allowed=allowed_statuses(service_request)),
        "assign_form": AssignForm(staff=staff_choices(service_request)),
        "update_form": PublicUpdateForm(),
        "note_form": InternalNoteForm(),
    }
    if service_request.is_open:
        context["reroute_form"] = RerouteForm(departments=department_choices(service_request))
        context["partner_form"] = PartnerForm(partners=partner_choices())
        teams = team_choices(service_request)
        # A department without teams gets no team form, unless the request still holds one.
        if teams or service_request.assigned_team is not None:
            context["team_form"] = TeamForm(teams=teams, current=service_request.assigned_team)
        context["due_form"] = DueDateForm()
        context["merge_form"] = MergeIntoForm()
    context.update(forms)
    context.update(_messages_by_section(request))
    response = render(request, "backoffice/requests/detail.html", context)
    policy = policy_allowing_tiles(settings.MAP_TILE_URL) if service_request.has_location else ""
    if policy:
        response.headers["Content-Security-Policy"] = policy
    return response


def _messages_by_section(request: HttpRequest) -> dict[str, Any]:
    """The messages of the action just taken, for its section, apart from any others (the top).

    An action's message carries its section's id as its extra tag (see `section_url`).
    """
    top, acted, section = [], [], ""
    for message in messages.get_messages(request):
        if message.extra_tags:
            section = message.extra_tags
            acted.append(message)
        else:
            top.append(message)
    return {"messages": top, "acted_messages": acted, "acted_section": section}


def handle_form(  # noqa: PLR0913 (the form, the change and where to go next describe one action)
    request: HttpRequest,
    service_request: ServiceRequest,
    *,
    form_name: str,
    form: forms.Form,
    change: Callable[[ServiceRequest, dict[str, Any]], str],
    then: str = "detail",
) -> HttpResponse:
    """Validate `form`, run `change` (which returns the success message), then redirect to the
    request's page, or to the queue when `then` is "queue"."""
    if form.is_valid():
        try:
            done = change(service_request, form.cleaned_data)
        except CityHallError as error:
            show_service_error(form, error)
        else:
            if then == "queue":
                messages.success(request, done)
                return redirect("backoffice:queue")
            section = SECTION_OF_FORM[form_name]
            messages.success(request, done, extra_tags=section)
            return redirect(section_url(service_request, section))
    return render_detail(request, service_request, **{form_name: form})


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_http_methods(["GET", "HEAD", "POST"])
def request_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Everything about one request (an audited read), with the forms to handle it.

    POST adds an internal note (staff only) to the timeline, leaving the status as it is.
    """
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)
    if request.method != "POST":
        return render_detail(request, service_request)

    def change(loaded: ServiceRequest, data: dict[str, Any]) -> str:
        add_internal_note(service_request=loaded, actor=actor, internal_note=data["internal_note"])
        return _("The internal note is in the timeline.")

    form = InternalNoteForm(request.POST)
    return handle_form(request, service_request, form_name="note_form", form=form, change=change)


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_assign(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Take the request, give it to a colleague, or give it back to the department's pool."""
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)
    form = AssignForm(request.POST, staff=staff_choices(service_request))
    if form.is_valid():
        chosen = form.cleaned_data["assignee"]
        assignee: User | None = None
        if chosen == ASSIGN_TO_ME:
            assignee = actor
        elif chosen != ASSIGN_TO_NOBODY:
            assignee = assignable_staff(service_request=service_request).get(public_id=chosen)
        try:
            assign_service_request(service_request=service_request, actor=actor, assignee=assignee)
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The assignment is saved."), extra_tags="assign")
            return redirect(section_url(service_request, "assign"))
    return render_detail(request, service_request, assign_form=form)


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_merge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Mark the request as a duplicate of another; its followers move there.

    The other request is a likely duplicate the page listed (`original`, its public id) or
    any request the staff member handles, named by its tracking number.
    """
    actor = actor_of(request)
    duplicate = load_for_staff(public_id, actor)
    if "original" not in request.POST:
        return _merge_by_tracking_number(request, duplicate, actor)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the request to merge into."), extra_tags="duplicates")
        return redirect(section_url(duplicate, "duplicates"))
    original = load_for_staff(form.cleaned_data["original"], actor)
    try:
        merge_duplicate(duplicate=duplicate, original=original, actor=actor)
    except CityHallError as error:
        messages.error(request, error.message, extra_tags="duplicates")
        return redirect(section_url(duplicate, "duplicates"))
    return _merged(request, original)


def _merge_by_tracking_number(
    request: HttpRequest, duplicate: ServiceRequest, actor: User
) -> HttpResponse:
    form = MergeIntoForm(request.POST)
    if form.is_valid():
        try:
            original = get_service_request_for_staff_by_tracking_number(
                tracking_number=form.cleaned_data["tracking_number"], staff=actor
            )
        except NotFound:
            form.add_error("tracking_number", _("No request you handle has this tracking number."))
        else:
            try:
                merge_duplicate(duplicate=duplicate, original=original, actor=actor)
            except CityHallError as error:
                form.add_error("tracking_number", error.message)
            else:
                return _merged(request, original)
    return render_detail(request, duplicate, merge_form=form)


def _merged(request: HttpRequest, original: ServiceRequest) -> HttpResponse:
    messages.success(
        request,
        _("Merged into %(tracking_number)s; its followers now follow that request.")
        % {"tracking_number": original.tracking_number},
        extra_tags="merged",
    )
    return redirect(section_url(original, "merged"))
