"""Notification pages: the texts each event is told with, the messages sent, and their figures.

For communications officers and city administrators. The template editor shows a preview with
sample values; the "Preview" button works without JavaScript, and
`backoffice/notification-preview.js` refreshes the same preview while staff type.
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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.core.errors import CityHallError, NotFound
from cityhall.notifications.models import Delivery, Template
from cityhall.notifications.staff_selectors import (
    FIGURE_STATUSES,
    SEARCH_LIMIT,
    NotificationEvent,
    delivery_figures,
    get_notification_event,
    get_template_for_editor,
    notification_events,
    search_messages,
)
from cityhall.notifications.template_editing import (
    TemplateText,
    create_template,
    preview_text,
    update_template,
)

#: The periods the figures page offers, in days; the first is the default.
FIGURE_PERIODS = (14, 7, 30, 90)


class TemplateTextForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The email subject and the title on people's devices. Text messages leave it out."
        ),
    )
    body = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 8}))

    def text(self) -> TemplateText:
        return TemplateText(subject=self.cleaned_data["subject"], body=self.cleaned_data["body"])


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


@staff_member_required(capability=Capability.EDIT_MESSAGE_TEMPLATES)
@require_GET
def notification_templates(request: HttpRequest) -> HttpResponse:
    """Every event with its text in each language, and the languages still missing."""
    events = notification_events(actor=staff_actor(request))
    return render(
        request,
        "backoffice/notifications/templates.html",
        {"events": events, "languages": settings.LANGUAGES},
    )


@staff_member_required(capability=Capability.EDIT_MESSAGE_TEMPLATES)
@require_http_methods(["GET", "POST"])
def notification_template_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Change one template's subject and body, with a preview."""
    actor = staff_actor(request)
    template = get_template_for_editor(actor=actor, public_id=public_id)
    event = get_notification_event(actor=actor, code=template.code)
    form = TemplateTextForm(
        request.POST or None, initial={"subject": template.subject, "body": template.body}
    )
    return _editor(
        request,
        form,
        event=event,
        template=template,
        language=template.language,
        save=lambda text: update_template(actor=actor, template=template, text=text),
    )


@staff_member_required(capability=Capability.EDIT_MESSAGE_TEMPLATES)
@require_http_methods(["GET", "POST"])
def notification_template_create(request: HttpRequest, code: str, language: str) -> HttpResponse:
    """Write an event's text in a language it has none in yet."""
    if language not in dict(settings.LANGUAGES):
        raise NotFound
    actor = staff_actor(request)
    event = get_notification_event(actor=actor, code=code)
    existing = event.template_in(language)
    if existing is not None:
        return redirect("backoffice:notification_template_edit", public_id=existing.public_id)
    form = TemplateTextForm(request.POST or None)
    return _editor(
        request,
        form,
        event=event,
        template=None,
        language=language,
        save=lambda text: create_template(actor=actor, code=code, language=language, text=text),
    )


def _editor(  # noqa: PLR0913 (the page's parts, all required)
    request: HttpRequest,
    form: TemplateTextForm,
    *,
    event: NotificationEvent,
    template: Template | None,
    language: str,
    save: Callable[[TemplateText], Template],
) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and request.POST.get("action") != "preview":
        try:
            save(form.text())
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The message text is saved."))
            return redirect("backoffice:notification_templates")
    shown = TemplateText(
        subject=str(form["subject"].value() or ""), body=str(form["body"].value() or "")
    )
    context: dict[str, Any] = {
        "form": form,
        "event": event,
        "template": template,
        "language_name": _language_name(language),
        "others": [t for t in event.templates if template is None or t.pk != template.pk],
        "language": language,
        "preview": preview_text(shown, language=language),
    }
    return render(request, "backoffice/notifications/edit.html", context)


@staff_member_required(capability=Capability.EDIT_MESSAGE_TEMPLATES)
@require_POST
def notification_template_preview(request: HttpRequest) -> HttpResponse:
    """The preview part of the editor for the posted subject, body and language (live refresh)."""
    shown = TemplateText(subject=request.POST.get("subject", ""), body=request.POST.get("body", ""))
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    preview = preview_text(shown, language=language)
    return render(request, "backoffice/notifications/includes/preview.html", {"preview": preview})


@staff_member_required(capability=Capability.EDIT_MESSAGE_TEMPLATES)
@require_GET
def notification_messages(request: HttpRequest) -> HttpResponse:
    """Messages sent to one email address, or for events whose key contains the search."""
    query = request.GET.get("q", "").strip()
    found = search_messages(actor=staff_actor(request), query=query)
    context = {"query": query, "found": found, "limit": SEARCH_LIMIT}
    return render(request, "backoffice/notifications/messages.html", context)


@staff_member_required(capability=Capability.EDIT_MESSAGE_TEMPLATES)
@require_GET
def notification_figures(request: HttpRequest) -> HttpResponse:
    """Deliveries per channel and day, by status, over a chosen number of days."""
    asked = request.GET.get("days", "")
    days = int(asked) if asked.isdigit() and int(asked) in FIGURE_PERIODS else FIGURE_PERIODS[0]
    context = {
        "rows": delivery_figures(actor=staff_actor(request), days=days),
        "days": days,
        "periods": sorted(FIGURE_PERIODS),
        "statuses": [Delivery.Status(status).label for status in FIGURE_STATUSES],
    }
    return render(request, "backoffice/notifications/figures.html", context)
