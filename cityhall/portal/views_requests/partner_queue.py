"""The partner work queue: members of a partner organisation see and work the requests the
city handed to it, and nothing else.

Every page loads requests through the partner selectors (404 for anything not assigned to the
member's organisation) and shows the partner view, which leaves out the reporter; their
contact details show only when they allow sharing them (`servicerequests.partner_contact`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.models import User
from cityhall.catalog.models import Service
from cityhall.core.errors import CityHallError
from cityhall.integrations.selectors import partners_managed_by
from cityhall.servicerequests.access import partner_organisation_ids_for
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.partner_contact import contact_for_partner
from cityhall.servicerequests.selectors import (
    get_service_request_for_partner,
    partner_view_of,
    service_requests_for_partner,
)
from cityhall.servicerequests.services import (
    PARTNER_TRANSITIONS,
    change_service_request_status,
    post_public_update,
)

#: How many requests one page of the partner queue lists.
PARTNER_QUEUE_PAGE_SIZE = 50


class PartnerQueueFilterForm(forms.Form):
    """The queue's filters (both optional): a status, and one of the services handed over."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    service = forms.ChoiceField(label=gettext_lazy("Service"), required=False)

    def __init__(self, data: Any = None, *, services: list[Service]) -> None:
        super().__init__(data)
        status_field = self.fields["status"]
        service_field = self.fields["service"]
        assert isinstance(status_field, forms.ChoiceField)  # declared above
        assert isinstance(service_field, forms.ChoiceField)  # declared above
        status_field.choices = [("", _("Any status")), *ServiceRequest.Status.choices]
        service_field.choices = [
            ("", _("Any service")),
            *((service.code, service.name) for service in services),
        ]


class PartnerStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("New status"))
    public_note = forms.CharField(
        label=gettext_lazy("Note for the citizen (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, *, allowed: list[str]) -> None:
        super().__init__(data, prefix="status")
        labels = dict(ServiceRequest.Status.choices)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)  # declared above
        field.choices = [(value, labels[value]) for value in allowed]


class PartnerUpdateForm(forms.Form):
    public_note = forms.CharField(
        label=gettext_lazy("Update for the citizen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write the update.")},
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="update")


def _partner_member(request: HttpRequest) -> User:
    """The signed-in member of an active partner organisation; 404 for anyone else."""
    user = request.user
    assert isinstance(user, User)  # login_required
    if not partner_organisation_ids_for(user):
        raise Http404
    return user


def _allowed(service_request: ServiceRequest) -> list[str]:
    allowed = PARTNER_TRANSITIONS.get(service_request.status, frozenset())
    return [value for value in ServiceRequest.Status.values if value in allowed]


def _render_detail(
    request: HttpRequest, service_request: ServiceRequest, **forms_shown: forms.Form
) -> HttpResponse:
    context: dict[str, Any] = {
        "request_view": partner_view_of(service_request),
        "contact": contact_for_partner(service_request),
        "status_form": PartnerStatusForm(allowed=_allowed(service_request)),
        "update_form": PartnerUpdateForm(),
    }
    context.update(forms_shown)
    return render(request, "portal/partner/detail.html", context)


@login_required
@require_GET
def partner_queue(request: HttpRequest) -> HttpResponse:
    """The requests handed to the member's organisations, open ones first, by status and
    service, a page at a time."""
    user = _partner_member(request)
    handed_over = service_requests_for_partner(user=user)
    services = sorted(
        Service.objects.filter(id__in=handed_over.values("service_id")),
        key=lambda service: service.name.casefold(),
    )
    form = PartnerQueueFilterForm(request.GET or None, services=services)
    filters = (
        {name: value for name, value in form.cleaned_data.items() if value}
        if form.is_valid()
        else {}
    )
    shown = handed_over
    if "status" in filters:
        shown = shown.filter(status=filters["status"])
    if "service" in filters:
        shown = shown.filter(service__code=filters["service"])
    page = Paginator(shown, PARTNER_QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filter_query": urlencode(filters),
        "is_filtered": bool(filters),
        "manages_webhooks": partners_managed_by(user).exists(),
    }
    return render(request, "portal/partner/queue.html", context)


@login_required
@require_GET
def partner_request(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One handed-over request, without the reporter's personal data but for their contact
    details when they allow sharing them (an audited read)."""
    user = _partner_member(request)
    return _render_detail(request, get_service_request_for_partner(public_id=public_id, user=user))


@login_required
@require_POST
def partner_change_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Start or finish the work, as the partner."""
    user = _partner_member(request)
    service_request = get_service_request_for_partner(public_id=public_id, user=user)
    form = PartnerStatusForm(request.POST, allowed=_allowed(service_request))
    if form.is_valid():
        try:
            change_service_request_status(
                service_request=service_request,
                actor=user,
                to_status=form.cleaned_data["to_status"],
                public_note=form.cleaned_data["public_note"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("The request is now “%(status)s”.")
                % {"status": service_request.get_status_display()},
            )
            return redirect("portal:partner_request", public_id=public_id)
    return _render_detail(request, service_request, status_form=form)


@login_required
@require_POST
def partner_public_update(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Tell the citizen of progress, as the partner."""
    user = _partner_member(request)
    service_request = get_service_request_for_partner(public_id=public_id, user=user)
    form = PartnerUpdateForm(request.POST)
    if form.is_valid():
        try:
            post_public_update(
                service_request=service_request,
                actor=user,
                public_note=form.cleaned_data["public_note"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The update is on the citizen's timeline."))
            return redirect("portal:partner_request", public_id=public_id)
    return _render_detail(request, service_request, update_form=form)
