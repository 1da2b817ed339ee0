"""Telling people about events: the one door every domain sends through.

An event → `notify` → one Notification (once per recipient and event key) → one Delivery per
channel the recipient wants → a `deliver_notification` task per delivery after commit → sent
(→ delivered, for SMS with a status callback) or retried with backoff → failed or bounced.
Quiet hours hold normal deliveries until the quiet hours end; digest readers get their email as
an item of the next summary instead (see digests.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import InvalidInput
from cityhall.notifications.models import (
    PLACEHOLDER,
    ChannelKind,
    Delivery,
    DigestFrequency,
    DigestItem,
    Notification,
    Preference,
    PushSubscription,
    RecipientSettings,
    Suppression,
    Template,
    Topic,
    Urgency,
)
from cityhall.notifications.purposes import TOPIC_PURPOSES
from cityhall.privacy.consents import has_consent

#: The channels a topic uses when the person has said nothing about it. Web push reaches only
#: devices the person has switched on, so it defaults on for what concerns them directly.
#: A kind missing from every set (webhook) is sent only where a preference asks for it.
TOPIC_DEFAULTS: dict[str, frozenset[str]] = {
    Topic.MY_REQUESTS: frozenset({ChannelKind.EMAIL, ChannelKind.WEB_PUSH, ChannelKind.IN_APP}),
    Topic.APPOINTMENTS: frozenset(
        {ChannelKind.EMAIL, ChannelKind.SMS, ChannelKind.WEB_PUSH, ChannelKind.IN_APP}
    ),
    Topic.ALERTS: frozenset(
        {ChannelKind.EMAIL, ChannelKind.SMS, ChannelKind.WEB_PUSH, ChannelKind.IN_APP}
    ),
    Topic.DISTRICT_NEWS: frozenset({ChannelKind.IN_APP}),
    Topic.CONSULTATIONS: frozenset({ChannelKind.EMAIL, ChannelKind.IN_APP}),
    Topic.REMINDERS: frozenset({ChannelKind.EMAIL, ChannelKind.IN_APP}),
}


MAX_LINK_LENGTH = 500


def render_text(text: str, context: Mapping[str, Any]) -> str:
    """Replace each `{{ name }}` with `context[name]`; raises InvalidInput for a missing one."""
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in context})
    if missing:
        raise InvalidInput(f"Missing template variables: {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: str(context[match.group(1)]), text)


def recipient_settings(user: User) -> RecipientSettings:
    """The user's delivery settings; an unsaved default when there are none yet."""
    found = RecipientSettings.objects.filter(user=user).first()
    return found if found is not None else RecipientSettings(user=user)


def address_for(*, user: User, channel: str, user_settings: RecipientSettings) -> str:
    """The address a channel sends to: email, phone number, or the account itself (in-app)."""
    if channel == ChannelKind.EMAIL:
        return user.email.lower()
    if channel == ChannelKind.SMS:
        return user_settings.phone_number
    if channel == ChannelKind.WEB_PUSH and not PushSubscription.objects.filter(user=user).exists():
        return ""  # no browser switched on: nothing to push to
    if channel == ChannelKind.WEBHOOK and not _receives_notifications_by_webhook(user):
        return ""  # the organisation's webhook is gone: a delivery would only fail
    return str(user.public_id)


def _receives_notifications_by_webhook(user: User) -> bool:
    # Imported here: integrations' models import the request domain, which imports this module.
    from cityhall.integrations.selectors import notification_subscription_for

    return notification_subscription_for(user) is not None


def site_path(value: object) -> str:
    """The path of `value` on this site ("/requests/…"), else "" (no other hosts).

    An absolute URL on the site's own address (`CITYHALL_BASE_URL`, as emails carry) counts as
    its path, so the inbox and a push can open what the email links to.
    """
    if not isinstance(value, str):
        return ""
    base_url = settings.CITYHALL_BASE_URL.rstrip("/")
    if value.startswith(f"{base_url}/"):
        value = value[len(base_url) :]
    if not value.startswith("/") or value.startswith("//"):
        return ""
    return "" if "\\" in value or len(value) > MAX_LINK_LENGTH else value


def wanted_channels_for(*, user: User, topic: str) -> set[str]:
    """The channels the user wants `topic` on: their preferences over the topic's defaults."""
    wanted = set(TOPIC_DEFAULTS[topic])
    for channel, is_enabled in Preference.objects.filter(user=user, topic=topic).values_list(
        "channel", "is_enabled"
    ):
        if is_enabled:
            wanted.add(channel)
        else:
            wanted.discard(channel)
    return wanted


def channels_for(*, user: User, topic: str, user_settings: RecipientSettings) -> list[str]:
    """The channels this user gets `topic` on: preferences over defaults, minus suppressed ones."""
    wanted = wanted_channels_for(user=user, topic=topic)
    # Imported here: a channel module may import domain code that imports this module.
    from cityhall.notifications.channels import CHANNELS

    chosen = []
    for channel in sorted(wanted):
        if channel not in CHANNELS:
            continue  # a kind whose channel is not installed yet sends nothing
        address = address_for(user=user, channel=channel, user_settings=user_settings)
        if not address:
            continue  # no phone number: nothing to text
        if channel != ChannelKind.IN_APP and is_suppressed(channel=channel, address=address):
            continue
        chosen.append(channel)
    return chosen


def is_suppressed(*, channel: str, address: str) -> bool:
    return Suppression.objects.filter(channel=channel, address=address.lower()).exists()


def quiet_hours_end(*, user_settings: RecipientSettings, now: dt.datetime) -> dt.datetime | None:
    """When the user's quiet hours end if `now` falls inside them, else None.

    Quiet hours are local times in settings.TIME_ZONE and may span midnight (22:00 to 07:00).
    """
    start, end = user_settings.quiet_hours_start, user_settings.quiet_hours_end
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    time_of_day = local.time().replace(tzinfo=None)
    spans_midnight = start > end
    inside = (
        (start <= time_of_day or time_of_day < end)
        if spans_midnight
        else start <= time_of_day < end
    )
    if not inside:
        return None
    end_day = (
        local.date() + dt.timedelta(days=1)
        if spans_midnight and time_of_day >= start
        else local.date()
    )
    return dt.datetime.combine(end_day, end, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _template_for(*, code: str, channel: str, language: str) -> Template | None:
    candidates = Template.objects.filter(code=code, channel__in=[channel, ""])
    languages = [language, settings.LANGUAGE_CODE]
    found = {
        (found.channel, found.language): found
        for found in candidates.filter(language__in=languages)
    }
    for wanted in (
        (channel, language),
        ("", language),
        (channel, settings.LANGUAGE_CODE),
        ("", settings.LANGUAGE_CODE),
    ):
        if wanted in found:
            return found[wanted]
    return None


def _sends_in_digest(*, channel: str, urgency: str, user_settings: RecipientSettings) -> bool:
    return (
        channel == ChannelKind.EMAIL
        and urgency != Urgency.EMERGENCY
        and user_settings.digest_frequency != DigestFrequency.NONE
    )


def notify(  # noqa: PLR0913 (the contract every domain calls)
    *,
    recipient: User,
    topic: str,
    template: str,
    context: Mapping[str, Any],
    event_key: str,
    urgency: str = Urgency.NORMAL,
    attachments: Sequence[Attachment] = (),
) -> list[Delivery]:
    """Tell `recipient` about an event on every channel they want, in their language.

    `template` is a Template code; `context["link"]`, a path or an address on this site, is the page
    the message is about (a push notification opens it). `event_key` names the event (e.g.
    "request:<uuid>:closed"): notifying the same key twice returns the first call's deliveries
    and sends nothing more. `attachments` go with the email (an iCalendar file, say); the other
    channels leave them out.
    Deliveries are queued after commit; in quiet hours normal ones wait for the quiet hours to end.
    Raises InvalidInput for an unknown topic, a template missing for every chosen channel in both
    the user's and the default language, or a context missing one of its variables.
    A topic sent only with consent (`notifications.purposes`) sends nothing, and records
    nothing, to a person who has not given it: the answer is then an empty list.
    """
    if topic not in TOPIC_DEFAULTS or urgency not in Urgency.values:
        raise InvalidInput(f"Unknown topic or urgency: {topic!r}, {urgency!r}")
    if not has_consent(recipient, TOPIC_PURPOSES[topic]):
        return []
    existing = Notification.objects.filter(recipient=recipient, event_key=event_key).first()
    if existing is not None:
        return list(existing.deliveries.all())
    event = _Event(
        recipient=recipient,
        topic=topic,
        code=template,
        event_key=event_key,
        urgency=urgency,
        attachments=tuple(attachments),
    )
    try:
        with transaction.atomic():
            return _record_notification(event, context)
    except IntegrityError:
        # Another worker recorded the same event a moment ago: its deliveries stand.
        existing = Notification.objects.get(recipient=recipient, event_key=event_key)
        return list(existing.deliveries.all())


@dataclass(frozen=True)
class Attachment:
    """A file sent with a notification's email: its name, MIME type and text content."""

    filename: str
    content_type: str
    content: str


@dataclass(frozen=True)
class _Event:
    recipient: User
    topic: str
    code: str
    event_key: str
    urgency: str
    attachments: tuple[Attachment, ...] = ()


def _render_for_channels(
    event: _Event, context: Mapping[str, Any], user_settings: RecipientSettings
) -> dict[str, tuple[str, str, str]]:
    """(subject, body, language) per channel that has a template."""
    language = event.recipient.preferred_language or settings.LANGUAGE_CODE
    rendered = {}
    for channel in channels_for(
        user=event.recipient, topic=event.topic, user_settings=user_settings
    ):
        found = _template_for(code=event.code, channel=channel, language=language)
        if found is not None:
            rendered[channel] = (
                render_text(found.subject, context),
                render_text(found.body, context),
                found.language,
            )
    return rendered


def _record_notification(event: _Event, context: Mapping[str, Any]) -> list[Delivery]:
    recipient = event.recipient
    user_settings = recipient_settings(recipient)
    rendered = _render_for_channels(event, context, user_settings)
    if not rendered:
        raise InvalidInput(f"No template {event.code!r} for any channel of {event.topic!r}")
    subject, body, language = rendered.get(ChannelKind.IN_APP) or next(iter(rendered.values()))
    notification = Notification.objects.create(
        recipient=recipient,
        topic=event.topic,
        template_code=event.code,
        event_key=event.event_key,
        urgency=event.urgency,
        language=language,
        subject=subject,
        body=body,
        link=site_path(context.get("link")),
        attachments=[
            {"filename": a.filename, "content_type": a.content_type, "content": a.content}
            for a in event.attachments
        ],
    )
    held_until = None
    if event.urgency != Urgency.EMERGENCY:
        held_until = quiet_hours_end(user_settings=user_settings, now=timezone.now())
    deliveries = []
    for channel, (subject, body, _language) in rendered.items():
        if _sends_in_digest(channel=channel, urgency=event.urgency, user_settings=user_settings):
            DigestItem.objects.create(notification=notification, recipient=recipient)
            continue
        delivery = Delivery.objects.create(
            notification=notification,
            channel=channel,
            subject=subject,
            body=body,
            address=address_for(user=recipient, channel=channel, user_settings=user_settings),
            # Quiet hours are about interruptions; the inbox interrupts no one.
            next_attempt_at=None if channel == ChannelKind.IN_APP else held_until,
        )
        deliveries.append(delivery)
        if delivery.next_attempt_at is None:
            transaction.on_commit(partial(_enqueue_delivery, delivery.id))
    return deliveries


def _enqueue_delivery(delivery_id: int) -> None:
    # Imported here: tasks.py imports the delivery service, which imports this module.
    from cityhall.notifications.tasks import deliver_notification

    deliver_notification.enqueue(delivery_id)
