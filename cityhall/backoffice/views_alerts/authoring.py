"""Drafting alerts in the back office: the list by state, a new draft, changing a draft, an
update or a cancellation of a published alert, and the live count of subscribers reached."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability
from cityhall.alerts.forms import (
    AlertCancelForm,
    AlertDraftForm,
    initial_from_content,
    initial_texts,
    show_alert_error,
)
from cityhall.alerts.incoming import note_rebroadcast
from cityhall.alerts.models import SHORT_TEXT_MAX_LENGTH, Alert
from cityhall.alerts.reach import reach_count
from cityhall.alerts.selectors import alert_for_officer, alerts_for_officer
from cityhall.alerts.services import (
    content_of,
    draft_alert,
    draft_cancellation,
    draft_update,
    edit_draft,
)
from cityhall.alerts.upstream_selectors import draft_initial_for, incoming_alert_or_none
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.core.errors import CityHallError, InvalidInput

PUBLISH = Capability.PUBLISH_ALERTS
#: The list's sections, in order: what needs doing first.
LIST_SECTIONS = (
    Alert.State.AWAITING_APPROVAL,
    Alert.State.DRAFT,
    Alert.State.REJECTED,
    Alert.State.PUBLISHED,
)
#: How long a new alert lasts unless the officer says otherwise.
DEFAULT_DURATION = timedelta(hours=6)
#: How many ended alerts (expired, replaced, cancelled) the list shows.
ENDED_SHOWN = 20


@staff_member_required(capability=PUBLISH)
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """The alerts by state: awaiting approval, drafts, rejected, published, then the last ended."""
    alerts = alerts_for_officer(staff_actor(request))
    sections: list[tuple[str, list[Alert]]] = [
        (str(Alert.State(state).label), list(alerts.filter(state=state).order_by("-updated_at")))
        for state in LIST_SECTIONS
    ]
    ended = list(alerts.exclude(state__in=LIST_SECTIONS).order_by("-updated_at")[:ENDED_SHOWN])
    sections.append((str(_("Ended")), ended))
    context = {
        "sections": sections,
        "may_manage_partners": has_capability(staff_actor(request), Capability.MANAGE_PARTNERS),
    }
    return render(request, "backoffice/alerts/list.html", context)


def map_context() -> dict[str, Any]:
    """What the area map needs: where its tiles come from."""
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "short_text_max": SHORT_TEXT_MAX_LENGTH,
    }


def _render_form(
    request: HttpRequest, form: AlertDraftForm, *, title: str, alert: Alert | None = None
) -> HttpResponse:
    context = {"form": form, "title": title, "alert": alert, **map_context()}
    status = 400 if form.errors else 200
    return render(request, "backoffice/alerts/form.html", context, status=status)


def _save(form: AlertDraftForm, save: Any) -> Alert | None:
    """Run `save(content)` on a valid form's content; errors go onto the form."""
    if not form.is_valid():
        return None
    try:
        saved: Alert = save(form.content())
    except CityHallError as error:
        show_alert_error(form, error)
        return None
    return saved


@staff_member_required(capability=PUBLISH)
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    """A new draft; `?from=<incoming alert>` starts from an upstream authority's alert."""
    actor = staff_actor(request)
    received = incoming_alert_or_none(request.GET.get("from", ""))
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"onset": now, "expires": now + DEFAULT_DURATION}
    if received is not None:
        initial.update({k: v for k, v in draft_initial_for(received).items() if v is not None})
    form = AlertDraftForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        alert = _save(form, lambda content: draft_alert(actor=actor, content=content))
        if alert is not None:
            if received is not None:
                note_rebroadcast(incoming=received, alert=alert, actor=actor)
            messages.success(request, _("The draft is saved. Check it, then ask for approval."))
            return redirect("backoffice:alert_detail", public_id=alert.public_id)
    return _render_form(request, form, title=_("Draft an alert"))


@staff_member_required(capability=PUBLISH)
@require_http_methods(["GET", "POST"])
def alert_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Change a draft or a rejected alert."""
    actor = staff_actor(request)
    alert = alert_for_officer(actor, str(public_id))
    initial = initial_from_content(content_of(alert))
    form = AlertDraftForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        saved = _save(form, lambda content: edit_draft(alert=alert, actor=actor, content=content))
        if saved is not None:
            messages.success(request, _("The draft is saved."))
            return redirect("backoffice:alert_detail", public_id=saved.public_id)
    return _render_form(request, form, title=_("Change the draft"), alert=alert)


@staff_member_required(capability=PUBLISH)
@require_http_methods(["GET", "POST"])
def alert_update(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Draft an Update of a published alert, starting from its content."""
    actor = staff_actor(request)
    original = alert_for_officer(actor, str(public_id))
    initial = initial_from_content(content_of(original))
    form = AlertDraftForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        alert = _save(
            form, lambda content: draft_update(original=original, actor=actor, content=content)
        )
        if alert is not None:
            messages.success(request, _("The update is drafted. A second officer must approve it."))
            return redirect("backoffice:alert_detail", public_id=alert.public_id)
    return _render_form(request, form, title=_("Update the alert"), alert=original)


@staff_member_required(capability=PUBLISH)
@require_http_methods(["GET", "POST"])
def alert_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Draft a cancellation of a published alert: texts saying why it is over."""
    actor = staff_actor(request)
    original = alert_for_officer(actor, str(public_id))
    form = AlertCancelForm(request.POST or None, initial=initial_texts(content_of(original).texts))
    if request.method == "POST" and form.is_valid():
        try:
            alert = draft_cancellation(original=original, actor=actor, texts=form.alert_texts())
        except CityHallError as error:
            show_alert_error(form, error)
        else:
            messages.success(
                request, _("The cancellation is drafted. A second officer must approve it.")
            )
            return redirect("backoffice:alert_detail", public_id=alert.public_id)
    status = 400 if form.errors else 200
    context = {"form": form, "alert": original}
    return render(request, "backoffice/alerts/cancel.html", context, status=status)


@staff_member_required(capability=PUBLISH)
@require_POST
def alert_reach(request: HttpRequest) -> JsonResponse:
    """How many subscribers the area in the posted form reaches: `{"count": n}`, or
    `{"error": "..."}` (status 400) when the area cannot be used yet."""
    form = AlertDraftForm(request.POST, request.FILES)
    form.is_valid()  # Only the area's fields are read; the rest may still be unfinished.
    try:
        area = form.area()
    except InvalidInput as error:
        return JsonResponse({"error": error.message}, status=400)
    status = form.cleaned_data.get("status") or Alert.Status.ACTUAL
    return JsonResponse({"count": reach_count(area.shape, status=status)})
