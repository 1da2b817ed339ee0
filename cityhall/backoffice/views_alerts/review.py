"""An alert's back-office page: its texts in both languages, its area on a map and the
subscribers it reaches; submission, approval or rejection by a second officer; its CAP
document; and, once published, the live fan-out figures per channel."""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cityhall.alerts.cap import CAP_CONTENT_TYPE, cap_document
from cityhall.alerts.fanout import fan_out_figures
from cityhall.alerts.forms import RejectForm
from cityhall.alerts.models import ALERT_LANGUAGES, Alert
from cityhall.alerts.reach import alert_reach
from cityhall.alerts.selectors import alert_for_officer, earlier_messages
from cityhall.alerts.services import approve_alert, reject_alert, submit_for_approval
from cityhall.alerts.webhooks import record_alert_published
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.backoffice.views_alerts.authoring import PUBLISH, map_context
from cityhall.core.errors import CityHallError

#: The channels shown in the fan-out table, fastest first (others follow when present).
CHANNEL_ORDER = ("web_push", "sms", "in_app", "email")
CHANNEL_LABELS = {
    "web_push": gettext_lazy("Web push"),
    "sms": gettext_lazy("Text message"),
    "in_app": gettext_lazy("In the portal"),
    "email": gettext_lazy("Email"),
    "webhook": gettext_lazy("Webhook"),
}
FIGURE_KINDS = ("queued", "sent", "failed")


def figures_rows(alert: Alert) -> list[dict[str, object]]:
    """The fan-out figures as table rows, one per channel, fastest channels first."""
    figures = fan_out_figures(alert)
    channels = [c for c in CHANNEL_ORDER if c in figures] + sorted(
        c for c in figures if c not in CHANNEL_ORDER
    )
    rows: list[dict[str, object]] = [
        {
            "channel": channel,
            "label": str(CHANNEL_LABELS.get(channel, channel)),
            **{kind: figures[channel].get(kind, 0) for kind in FIGURE_KINDS},
        }
        for channel in channels
    ]
    return rows


@staff_member_required(capability=PUBLISH)
@require_GET
def alert_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The alert with what may be done with it now."""
    actor = staff_actor(request)
    alert = alert_for_officer(actor, str(public_id))
    texts = {text.language: text for text in alert.texts.all()}
    published = alert.state == Alert.State.PUBLISHED
    context = {
        "alert": alert,
        "texts": [(language, texts.get(language)) for language in ALERT_LANGUAGES],
        "reach": alert_reach(alert),
        "area_json": json.dumps(alert.area),
        "earlier": earlier_messages(alert),
        "is_drafter": alert.drafted_by_id == actor.pk,
        "reject_form": RejectForm(),
        "figures": figures_rows(alert) if alert.published_at else None,
        "may_follow_up": published,
        **map_context(),
    }
    return render(request, "backoffice/alerts/detail.html", context)


@staff_member_required(capability=PUBLISH)
@require_POST
def alert_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = staff_actor(request)
    alert = alert_for_officer(actor, str(public_id))
    try:
        submit_for_approval(alert=alert, actor=actor)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The alert now waits for a second officer's approval."))
    return redirect("backoffice:alert_detail", public_id=alert.public_id)


@staff_member_required(capability=PUBLISH)
@require_POST
def alert_approve(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = staff_actor(request)
    alert = alert_for_officer(actor, str(public_id))
    try:
        with transaction.atomic():  # the webhook outbox rows commit with the publication
            published = approve_alert(alert=alert, actor=actor)
            record_alert_published(published)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The alert is published and is being sent."))
    return redirect("backoffice:alert_detail", public_id=alert.public_id)


@staff_member_required(capability=PUBLISH)
@require_POST
def alert_reject(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = staff_actor(request)
    alert = alert_for_officer(actor, str(public_id))
    form = RejectForm(request.POST)
    form.is_valid()
    try:
        reject_alert(alert=alert, actor=actor, reason=form.cleaned_data.get("reason", ""))
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The alert is sent back to its drafter."))
    return redirect("backoffice:alert_detail", public_id=alert.public_id)


@staff_member_required(capability=PUBLISH)
@require_GET
def alert_cap_preview(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The CAP 1.2 document the alert is (or would be) published as."""
    alert = alert_for_officer(staff_actor(request), str(public_id))
    response = HttpResponse(cap_document(alert), content_type=f"{CAP_CONTENT_TYPE}; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{alert.identifier}.xml"'
    return response


@staff_member_required(capability=PUBLISH)
@require_GET
def alert_figures(request: HttpRequest, public_id: UUID) -> JsonResponse:
    """The live fan-out figures, for the alert page's polling: `{"channels": [...]}`."""
    alert = alert_for_officer(staff_actor(request), str(public_id))
    return JsonResponse({"channels": figures_rows(alert)})
