"""People's choices: what they receive and how, and opting out from a link or by text.

The preferences page offers the personal channels to everyone. Webhook is offered only to a
member of a partner organisation that receives its members' notifications by webhook (a
`notification.sent` subscription): a webhook is an organisation's system, set up in the
partner area, never a private person's address, so citizens are not offered it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.integrations.selectors import notification_subscription_for
from cityhall.notifications.models import (
    PERSONAL_CHANNELS,
    ChannelKind,
    Delivery,
    DigestItem,
    Notification,
    Preference,
    RecipientSettings,
    Topic,
)
from cityhall.notifications.purposes import TOPIC_PURPOSES, consent_topics
from cityhall.notifications.services import wanted_channels_for
from cityhall.notifications.unsubscribe_links import read_unsubscribe_token
from cityhall.privacy.consents import has_consent
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.services.consents import give_consent, withdraw_consent


@dataclass(frozen=True)
class NotificationChoices:
    """Everything the preferences page sets at once."""

    #: (topic, channel) pairs switched on; every other pair is switched off.
    enabled: frozenset[tuple[str, str]]
    phone_number: str = ""
    quiet_hours_start: dt.time | None = None
    quiet_hours_end: dt.time | None = None
    digest_frequency: str = "none"


def preference_channels_for(user: User) -> tuple[ChannelKind, ...]:
    """The channels `user` chooses between on the preferences page, in column order."""
    if notification_subscription_for(user) is None:
        return PERSONAL_CHANNELS
    return (*PERSONAL_CHANNELS, ChannelKind.WEBHOOK)


def topics_chosen_on(*, user: User, channel: str) -> frozenset[str]:
    """The topics `user` switched on for `channel` (for a channel no topic defaults to).

    A topic sent only with consent counts only while the consent is given.
    """
    chosen = set(
        Preference.objects.filter(user=user, channel=channel, is_enabled=True).values_list(
            "topic", flat=True
        )
    )
    return frozenset(
        topic
        for topic in chosen
        if topic not in TOPIC_PURPOSES or has_consent(user, TOPIC_PURPOSES[topic])
    )


@transaction.atomic
def save_notification_choices(
    *, actor: User, user: User, choices: NotificationChoices, language: str = ""
) -> None:
    """Store the user's topic and channel choices, phone number, quiet hours and digest.

    Only the channels `preference_channels_for(user)` offers are set; a pair of another channel
    in `choices.enabled` is ignored. A topic sent only with consent (`purposes.consent_topics`)
    ticked on some channel gives that consent, ticked on none withdraws it, in the consent
    ledger (read in `language`, the user's own by default), so the two never disagree.
    Raises InvalidInput when only one end of the quiet hours is given. Audited.
    """
    if (choices.quiet_hours_start is None) != (choices.quiet_hours_end is None):
        raise InvalidInput(fields={"quiet_hours_end": ["Give both ends of the quiet hours."]})
    channels = preference_channels_for(user)
    for topic in Topic.values:
        for channel in channels:
            Preference.objects.update_or_create(
                user=user,
                topic=topic,
                channel=channel,
                defaults={"is_enabled": (topic, channel) in choices.enabled},
            )
    user_settings, _created = RecipientSettings.objects.get_or_create(user=user)
    user_settings.phone_number = choices.phone_number
    user_settings.quiet_hours_start = choices.quiet_hours_start
    user_settings.quiet_hours_end = choices.quiet_hours_end
    user_settings.digest_frequency = choices.digest_frequency
    user_settings.full_clean()
    user_settings.save()
    for topic in consent_topics():
        _record_topic_consent(
            actor=actor,
            user=user,
            topic=topic,
            is_given=any((topic, channel) in choices.enabled for channel in channels),
            language=language or user.preferred_language or settings.LANGUAGE_CODE,
            source=ConsentRecord.Source.NOTIFICATION_SETTINGS,
        )
    record_audit_event(
        actor=actor,
        action="notifications.preferences_changed",
        target=user,
        data={
            "enabled": sorted(
                f"{topic}/{channel}" for topic, channel in choices.enabled if channel in channels
            )
        },
    )


@transaction.atomic
def unsubscribe_with_token(*, token: str, ip_address: str | None = None) -> Preference:
    """Switch off the topic and channel a signed link names, without signing in. Idempotent.

    When that was the last channel of a topic sent only with consent, the consent is
    withdrawn in the ledger too (source "unsubscribe link").

    Raises InvalidInput for a bad or tampered link, NotFound when its account is gone. Audited,
    with the account as actor: holding the link is the proof.
    """
    request = read_unsubscribe_token(token)
    if (
        request is None
        or request.topic not in Topic.values
        or request.channel not in ChannelKind.values
    ):
        raise InvalidInput("This unsubscribe link is not valid.")
    user = User.objects.filter(public_id=request.user_public_id).first()
    if user is None:
        raise NotFound
    preference, _created = Preference.objects.update_or_create(
        user=user, topic=request.topic, channel=request.channel, defaults={"is_enabled": False}
    )
    if request.topic in consent_topics() and not wanted_channels_for(
        user=user, topic=request.topic
    ):
        # The last channel of a consent topic is switched off: the consent goes with it.
        _record_topic_consent(
            actor=user,
            user=user,
            topic=request.topic,
            is_given=False,
            language=user.preferred_language or settings.LANGUAGE_CODE,
            source=ConsentRecord.Source.UNSUBSCRIBE_LINK,
        )
    record_audit_event(
        actor=user,
        action="notifications.unsubscribed",
        target=user,
        data={"topic": request.topic, "channel": request.channel},
        ip_address=ip_address,
    )
    return preference


def _record_topic_consent(  # noqa: PLR0913 (a consent decision's arguments)
    *, actor: User, user: User, topic: str, is_given: bool, language: str, source: str
) -> None:
    decide = give_consent if is_given else withdraw_consent
    decide(
        actor=actor, user=user, purpose_code=TOPIC_PURPOSES[topic], language=language, source=source
    )


def stop_topic_for(*, user: User, topic: str) -> int:
    """Cancel what `topic` still had on its way to `user` (consent withdrawn); returns how many.

    Queued deliveries fail for good (they are never claimed again) and pending summary items
    are deleted. What was already sent or placed in the inbox stays, as the record of it.
    """
    cancelled = Delivery.objects.filter(
        notification__recipient=user,
        notification__topic=topic,
        status=Delivery.Status.QUEUED,
    ).update(
        status=Delivery.Status.FAILED,
        is_permanent_failure=True,
        last_error="Consent withdrawn.",
        next_attempt_at=None,
        updated_at=timezone.now(),
    )
    dropped, _by_model = DigestItem.objects.filter(
        recipient=user,
        notification__topic=topic,
        sent_at__isnull=True,
        claim_token__isnull=True,
    ).delete()
    return cancelled + dropped


def restore_topic_defaults(*, user: User, topic: str) -> bool:
    """Bring back the topic's default channels when the user wants it on none (consent given
    elsewhere than on the notification choices page); True when anything changed."""
    if wanted_channels_for(user=user, topic=topic):
        return False
    Preference.objects.filter(user=user, topic=topic).delete()
    return True


def mark_notification_read(*, user: User, public_id: UUID) -> Notification:
    """Mark one of the user's inbox notifications read; NotFound for anyone else's."""
    notification = Notification.objects.filter(
        recipient=user, public_id=public_id, in_inbox_at__isnull=False
    ).first()
    if notification is None:
        raise NotFound
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def mark_all_notifications_read(*, user: User) -> int:
    """Mark every unread inbox notification of the user read; returns how many."""
    return Notification.objects.filter(
        recipient=user, in_inbox_at__isnull=False, read_at__isnull=True
    ).update(read_at=timezone.now())
