"""The queue of requests routed to the staff member's departments, and its bulk actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.forms_requests import (
    Assignment,
    BulkAction,
    BulkActionForm,
    QueueFilterForm,
    QueueOrder,
)
from cityhall.backoffice.views_requests.common import actor_of
from cityhall.backoffice.views_requests.sla_states import SlaState, sla_state
from cityhall.core.errors import CityHallError
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import (
    satisfaction_summary,
    service_requests_for_staff_queue,
    teams_for_staff_queue,
)
from cityhall.servicerequests.services import (
    STAFF_TRANSITIONS,
    assign_service_request,
    change_service_request_status,
)

Status = ServiceRequest.Status
Priority = ServiceRequest.Priority
PAGE_SIZE = 25
PRIORITY_RANK = Case(
    When(priority=Priority.URGENT, then=Value(0)),
    When(priority=Priority.HIGH, then=Value(1)),
    When(priority=Priority.NORMAL, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class QueueRow:
    service_request: ServiceRequest
    sla_state: str | None

    @property
    def sla_label(self) -> str:
        if self.sla_state:
            return str(SlaState(self.sla_state).label)
        if not self.service_request.is_open:
            return _("Stopped: the request is settled")
        return _("No due date")


def row_for(service_request: ServiceRequest, now: datetime) -> QueueRow:
    """The request with its SLA state; the SLA clock stops once the request is settled."""
    if not service_request.is_open:
        return QueueRow(service_request, None)
    state = sla_state(created_at=service_request.created_at, due_at=service_request.due_at, now=now)
    return QueueRow(service_request, state)


def _every_request(actor: User) -> QuerySet[ServiceRequest]:
    return service_requests_for_staff_queue(staff=actor, statuses=sorted(Status.values))


def _filter_choices(actor: User) -> dict[str, list[tuple[str, str]]]:
    """Services and districts that occur in the actor's requests, and the teams of the actor's
    departments, named in the page's language."""
    french = (get_language() or "").startswith("fr")
    everything = _every_request(actor).order_by()
    services = everything.values_list(
        "service__public_id", "service__name_en", "service__name_fr"
    ).distinct()
    districts = everything.filter(district__isnull=False).values_list(
        "district__public_id", "district__name", "district__name_fr"
    )
    teams = list(teams_for_staff_queue(staff=actor).select_related("department"))
    several_departments = len({team.department_id for team in teams}) > 1
    return {
        "services": sorted({(str(i), (fr if french and fr else en)) for i, en, fr in services}),
        "districts": sorted({(str(i), (fr if french and fr else en)) for i, en, fr in districts}),
        "teams": [
            (
                str(team.public_id),
                f"{team.name} ({team.department.name})" if several_departments else team.name,
            )
            for team in teams
        ],
    }


def _in_sla_state(queue: QuerySet[ServiceRequest], state: str, now: datetime) -> list[int]:
    # Worked out in Python: a share of a duration is not portable between SQLite and PostgreSQL.
    moments = (
        queue.filter(status__in=sorted(ServiceRequest.OPEN_STATUSES))
        .order_by()
        .values_list("id", "created_at", "due_at")
    )
    return [
        pk
        for pk, created_at, due_at in moments
        if sla_state(created_at=created_at, due_at=due_at, now=now) == state
    ]


def _filtered_queue(
    actor: User, filters: dict[str, Any], now: datetime
) -> QuerySet[ServiceRequest]:
    queue = service_requests_for_staff_queue(
        staff=actor,
        statuses=[filters["status"]] if filters.get("status") else None,
        assignee=actor if filters.get("assigned") == Assignment.MINE else None,
        teams_of=actor if filters.get("assigned") == Assignment.MY_TEAMS else None,
    ).select_related("district")
    if filters.get("assigned") == Assignment.UNASSIGNED:
        queue = queue.filter(assignee__isnull=True)
    if filters.get("assigned") == Assignment.PARTNER:
        queue = queue.filter(assigned_partner__isnull=False)
    narrowing = {
        "service__public_id": filters.get("service"),
        "district__public_id": filters.get("district"),
        "assigned_team__public_id": filters.get("team"),
        "priority": filters.get("priority"),
    }
    queue = queue.filter(**{key: value for key, value in narrowing.items() if value})
    if filters.get("sla"):
        queue = queue.filter(id__in=_in_sla_state(queue, filters["sla"], now))
    if filters.get("order") == QueueOrder.AGE:
        return queue.order_by("created_at", "id")
    if filters.get("order") == QueueOrder.PRIORITY:
        return queue.order_by(PRIORITY_RANK, F("due_at").asc(nulls_last=True), "id")
    return queue


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_GET
def request_queue(request: HttpRequest) -> HttpResponse:
    """Requests routed to the staff member's departments, filtered, sorted and paginated."""
    actor = actor_of(request)
    now = timezone.now()
    form = QueueFilterForm(request.GET or None, **_filter_choices(actor))
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_filtered_queue(actor, filters, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [row_for(service_request, now) for service_request in page]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "bulk_actions": BulkAction.choices,
        "return_query": request.GET.urlencode(),
        "satisfaction": satisfaction_summary(staff=actor),
    }
    return render(request, "backoffice/requests/queue.html", context)


def _apply_bulk_action(action: str, service_request: ServiceRequest, actor: User) -> bool:
    """Apply `action` to one request; False when it does not apply (nothing to change)."""
    if action == BulkAction.ACKNOWLEDGE:
        if Status.ACKNOWLEDGED not in STAFF_TRANSITIONS.get(service_request.status, ()):
            return False
        change_service_request_status(
            service_request=service_request, actor=actor, to_status=Status.ACKNOWLEDGED
        )
        return True
    if service_request.assignee_id == actor.pk:
        return False
    assign_service_request(service_request=service_request, actor=actor, assignee=actor)
    return True


def _back_to_queue(return_query: str) -> HttpResponseRedirect:
    # Re-encoded so that only a query string, never another address, follows the queue's path.
    query = QueryDict(return_query).urlencode()
    return HttpResponseRedirect(f"{reverse('backoffice:queue')}{'?' if query else ''}{query}")


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_queue_bulk(request: HttpRequest) -> HttpResponse:
    """Acknowledge, or take, every selected request, all in one transaction."""
    actor = actor_of(request)
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _back_to_queue(request.POST.get("return_query", ""))
    chosen = _every_request(actor).filter(public_id__in=form.cleaned_data["requests"])
    try:
        with transaction.atomic():
            changed = sum(
                _apply_bulk_action(form.cleaned_data["action"], service_request, actor)
                for service_request in chosen
            )
    except CityHallError as error:
        messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": error.message})
    else:
        total = len(chosen)
        messages.success(
            request,
            ngettext(
                "%(changed)d of %(total)d selected request changed.",
                "%(changed)d of %(total)d selected requests changed.",
                total,
            )
            % {"changed": changed, "total": total},
        )
    return _back_to_queue(request.POST.get("return_query", ""))
