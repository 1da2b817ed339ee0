"""Catalog pages: city administrators edit every service, department administrators their own."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.catalog.forms import RoutingRulesForm, ServiceFieldForm, ServiceForm
from cityhall.catalog.permissions import departments_managed_by
from cityhall.catalog.selectors import (
    get_service_field_for_catalog_admin,
    get_service_for_catalog_admin,
    services_for_catalog_admin,
)
from cityhall.catalog.services import (
    add_service_field,
    create_service,
    deactivate_service,
    remove_service_field,
    set_routing_rules,
    update_service,
    update_service_field,
)
from cityhall.core.errors import CityHallError


@staff_member_required(capability=Capability.ADMINISTER_CATALOG)
def service_list(request: HttpRequest) -> HttpResponse:
    """The services the staff member may edit, with their department and state."""
    services = list(services_for_catalog_admin(actor=staff_actor(request)))
    return render(request, "backoffice/catalog/list.html", {"services": services})


@staff_member_required(capability=Capability.ADMINISTER_CATALOG)
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    """Add a service to one of the staff member's departments."""
    actor = staff_actor(request)
    form = ServiceForm(request.POST or None, departments=departments_managed_by(actor),
                       with_code=True)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            service = create_service(
                code=form.cleaned_data["code"],
                department=form.cleaned_data["department"],
                details=form.details(),
                actor=actor,
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The service is created. Add the questions it asks."))
            return redirect("backoffice:service_detail", public_id=service.public_id)
    return render(request, "backoffice/catalog/create.html", {"form": form})


@staff_member_required(capability=Capability.ADMINISTER_CATALOG)
@require_http_methods(["GET", "POST"])
def service_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A service's details (editable), its form's questions and its routing rules."""
    actor = staff_actor(request)
    service = get_service_for_catalog_admin(actor=actor, public_id=public_id)
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_for(service),
                       departments=departments_managed_by(actor), with_code=False)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            update_service(service=service, department=form.cleaned_data["department"],
                           details=form.details(), actor=actor)  # fmt: skip
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("backoffice:service_detail", public_id=public_id)
    context = {
        "service": service,
        "form": form,
        "service_fields": service.fields.prefetch_related("choices"),
        "rules": service.routing_rules.select_related("district", "department"),
    }
    return render(request, "backoffice/catalog/detail.html", context)


@staff_member_required(capability=Capability.ADMINISTER_CATALOG)
@require_POST
def service_deactivate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Take a service out of the catalog, then go back to its page."""
    actor = staff_actor(request)
    service = get_service_for_catalog_admin(actor=actor, public_id=public_id)
    deactivate_service(service=service, actor=actor)
    messages.success(request, _("The service is no longer listed nor accepts requests."))
    return redirect("backoffice:service_detail", public_id=public_id)


@staff_member_required(capability=Capability.ADMINISTER_CATALOG)
@require_http_methods(["GET", "POST"])
def service_field_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Add a question to a service's form."""
    actor = staff_actor(request)
    service = get_service_for_catalog_admin(actor=actor, public_id=public_id)
    form = ServiceFieldForm(request.POST or None, initial={"order": service.fields.count()})
    if request.method == "POST" and form.is_valid():
        try:
            add_service_field(service=service, spec=form.spec(), actor=actor)
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("backoffice:service_detail", public_id=public_id)
    return render(request, "backoffice/catalog/field.html", {"service": service, "form": form})


@staff_member_required(capability=Capability.ADMINISTER_CATALOG)
@require_http_methods(["GET", "POST"])
def service_field_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Change one question of a service's form and its answers."""
    actor = staff_actor(request)
    field = get_service_field_for_catalog_admin(actor=actor, public_id=public_id)
    form = ServiceFieldForm(request.POST or None, initial=ServiceFieldForm.initial_for(field))
    if request.method == "POST" and form.is_valid():
        try:
            update_service_field(field=field, spec=form.spec(), actor=actor)
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("backoffice:service_detail", public_id=field.service.public_id)
    context = {"service": field.service, "service_field": field, "form": form}
    return render(request, "backoffice/catalog/field.html", context)


@staff_member_required(capability=Capability.ADMINISTER_CATALOG)
@require_POST
def service_field_remove(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Remove a question from a service's form, then go back to the service."""
    actor = staff_actor(request)
    field = get_service_field_for_catalog_admin(actor=actor, public_id=public_id)
    service = field.service
    try:
        remove_service_field(field=field, actor=actor)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question is removed."))
    return redirect("backoffice:service_detail", public_id=service.public_id)


@staff_member_required(capability=Capability.ADMINISTER_CATALOG)
@require_http_methods(["GET", "POST"])
def service_routing(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Replace the rules that send a service's requests to other departments."""
    actor = staff_actor(request)
    service = get_service_for_catalog_admin(actor=actor, public_id=public_id)
    form = RoutingRulesForm(request.POST or None, initial=RoutingRulesForm.initial_for(service))
    if request.method == "POST" and form.is_valid():
        try:
            set_routing_rules(service=service, rules=form.specs(), actor=actor)
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The routing rules are saved."))
            return redirect("backoffice:service_detail", public_id=public_id)
    return render(request, "backoffice/catalog/routing.html", {"service": service, "form": form})
