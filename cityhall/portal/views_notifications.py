"""Portal pages for notifications: "My notifications", preferences, and unsubscribing."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.models import User
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.notifications.forms import NotificationPreferencesForm, checkbox_name
from cityhall.notifications.models import PERSONAL_CHANNELS, ChannelKind, Topic
from cityhall.notifications.preferences import (
    mark_all_notifications_read,
    mark_notification_read,
    save_notification_choices,
    unsubscribe_with_token,
)
from cityhall.notifications.selectors import (
    inbox_for_user,
    preference_grid_for_user,
    settings_for_user,
    unread_count_for_user,
)
from cityhall.notifications.unsubscribe_links import read_unsubscribe_token

INBOX_PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    return user


@login_required
@require_http_methods(["GET", "POST"])
def notification_inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notifications, newest first; a POST marks them all read."""
    user = _user(request)
    if request.method == "POST":
        mark_all_notifications_read(user=user)
        return redirect("portal:notification_inbox")
    context = {
        "notifications": list(inbox_for_user(user)[:INBOX_PAGE_SIZE]),
        "unread_count": unread_count_for_user(user),
    }
    return render(request, "portal/notifications/inbox.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Mark one notification read; 404 for anyone else's."""
    mark_notification_read(user=_user(request), public_id=public_id)
    return redirect("portal:notification_inbox")


def _initial(user: User) -> dict[str, object]:
    user_settings = settings_for_user(user)
    initial: dict[str, object] = {
        "phone_number": user_settings.phone_number,
        "quiet_hours_start": user_settings.quiet_hours_start,
        "quiet_hours_end": user_settings.quiet_hours_end,
        "digest_frequency": user_settings.digest_frequency,
    }
    for _label, cells in preference_grid_for_user(user):
        for cell in cells:
            initial[checkbox_name(cell.topic, cell.channel)] = cell.is_enabled
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Choose topics per channel, a phone number, quiet hours and email summaries."""
    user = _user(request)
    form = NotificationPreferencesForm(request.POST or None, initial=_initial(user))
    if request.method == "POST" and form.is_valid():
        try:
            save_notification_choices(actor=user, user=user, choices=form.to_choices())
        except InvalidInput as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("portal:notification_preferences")
    rows = [
        (label, [form[checkbox_name(topic, channel)] for channel in PERSONAL_CHANNELS])
        for topic, label in Topic.choices
    ]
    context = {
        "form": form,
        "rows": rows,
        "channels": [(channel.value, channel.label) for channel in PERSONAL_CHANNELS],
    }
    return render(request, "portal/notifications/preferences.html", context)


# RFC 8058 one-click posts come from mail providers without cookies or a CSRF token; the
# signed token in the URL is what authorises the change.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (mail scanners follow links); POST unsubscribes."""
    link = read_unsubscribe_token(token)
    if link is None:
        return render(request, "portal/notifications/unsubscribe_invalid.html", status=400)
    context = {
        "topic_label": Topic(link.topic).label if link.topic in Topic.values else link.topic,
        "channel_label": ChannelKind(link.channel).label
        if link.channel in ChannelKind.values
        else link.channel,
    }
    if request.method == "GET":
        return render(request, "portal/notifications/unsubscribe.html", context)
    try:
        unsubscribe_with_token(token=token, ip_address=request.META.get("REMOTE_ADDR"))
    except (InvalidInput, NotFound):
        return render(request, "portal/notifications/unsubscribe_invalid.html", status=400)
    return render(request, "portal/notifications/unsubscribed.html", context)
