"""Portal pages for notifications: "My notifications", preferences, unsubscribing, and the
JSON endpoints the preferences page's script calls to switch web push on for this browser."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.client_address import client_ip_address
from cityhall.accounts.models import User
from cityhall.core.errors import CityHallError, InvalidInput, NotFound, PermissionDenied
from cityhall.notifications.forms import NotificationPreferencesForm, checkbox_name
from cityhall.notifications.models import PERSONAL_CHANNELS, ChannelKind, Topic
from cityhall.notifications.preferences import (
    mark_all_notifications_read,
    mark_notification_read,
    preference_channels_for,
    save_notification_choices,
    topics_chosen_on,
    unsubscribe_with_token,
)
from cityhall.notifications.purposes import consent_topics
from cityhall.notifications.push_subscriptions import subscribe_browser, unsubscribe_browser
from cityhall.notifications.selectors import (
    inbox_for_user,
    preference_grid_for_user,
    settings_for_user,
    unread_count_for_user,
)
from cityhall.notifications.unsubscribe_links import read_unsubscribe_token
from cityhall.notifications.vapid import configured_vapid_keys

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


def _initial(user: User, channels: tuple[ChannelKind, ...]) -> dict[str, object]:
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
    for channel in set(channels) - set(PERSONAL_CHANNELS):
        for topic in topics_chosen_on(user=user, channel=channel):
            initial[checkbox_name(topic, channel)] = True
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Choose topics per channel, a phone number, quiet hours and email summaries."""
    user = _user(request)
    channels = preference_channels_for(user)
    form = NotificationPreferencesForm(
        request.POST or None, initial=_initial(user, channels), channels=channels
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_notification_choices(
                actor=user, user=user, choices=form.to_choices(), language=get_language()
            )
        except InvalidInput as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("portal:notification_preferences")
    rows = [
        (label, [form[checkbox_name(topic, channel)] for channel in channels])
        for topic, label in Topic.choices
    ]
    keys = configured_vapid_keys()
    context = {
        "form": form,
        "rows": rows,
        "channels": [(channel.value, channel.label) for channel in channels],
        "push_public_key": keys.public_key if keys is not None else "",
        "consent_topic_labels": [Topic(topic).label for topic in consent_topics()],
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
        unsubscribe_with_token(token=token, ip_address=client_ip_address(request))
    except (InvalidInput, NotFound):
        return render(request, "portal/notifications/unsubscribe_invalid.html", status=400)
    return render(request, "portal/notifications/unsubscribed.html", context)


def _json_error(error: CityHallError) -> JsonResponse:
    body = {"error": {"code": error.code, "message": error.message, "fields": error.fields or {}}}
    return JsonResponse(body, status=error.status)


def _json_object(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise InvalidInput("Send a JSON object.")
    return data


def _signed_in_json_user(request: HttpRequest) -> User:
    # A script gets a JSON refusal, not the sign-in page a redirect would give it.
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user


# Both endpoints keep Django's CSRF check: the script sends the page's token in X-CSRFToken.
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """Switch web push on for the browser whose PushSubscription (toJSON form) is posted."""
    try:
        user = _signed_in_json_user(request)
        data = _json_object(request)
        keys = data.get("keys")
        if not isinstance(keys, dict):
            keys = {}
        subscribe_browser(
            actor=user,
            endpoint=str(data.get("endpoint") or ""),
            p256dh=str(keys.get("p256dh") or ""),
            auth=str(keys.get("auth") or ""),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except CityHallError as error:
        return _json_error(error)
    return JsonResponse({"subscribed": True}, status=201)


@require_POST
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    """Switch web push off for the browser whose endpoint is posted as `{"endpoint": …}`."""
    try:
        user = _signed_in_json_user(request)
        endpoint = str(_json_object(request).get("endpoint") or "")
    except CityHallError as error:
        return _json_error(error)
    unsubscribe_browser(actor=user, endpoint=endpoint)
    return JsonResponse({"subscribed": False})
