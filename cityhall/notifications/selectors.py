"""Reads for the portal: the inbox and the preferences grid."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from cityhall.accounts.models import User
from cityhall.notifications.models import (
    PERSONAL_CHANNELS,
    Notification,
    Preference,
    RecipientSettings,
    Topic,
)
from cityhall.notifications.purposes import TOPIC_PURPOSES, consent_topics
from cityhall.notifications.services import TOPIC_DEFAULTS, recipient_settings
from cityhall.privacy.consents import has_consent


def inbox_for_user(user: User) -> QuerySet[Notification]:
    """The user's "My notifications" items, newest first."""
    return Notification.objects.filter(recipient=user, in_inbox_at__isnull=False).order_by(
        "-in_inbox_at", "-id"
    )


def unread_count_for_user(user: User) -> int:
    return inbox_for_user(user).filter(read_at__isnull=True).count()


@dataclass(frozen=True)
class PreferenceCell:
    topic: str
    channel: str
    is_enabled: bool


def preference_grid_for_user(user: User) -> list[tuple[str, list[PreferenceCell]]]:
    """One row per topic (its label), one cell per channel, with choices over defaults.

    A topic sent only with consent shows no channel ticked while the person has not given it,
    since nothing of it is sent then.
    """
    refused = {topic for topic in consent_topics() if not has_consent(user, TOPIC_PURPOSES[topic])}
    chosen = {
        (topic, channel): is_enabled
        for topic, channel, is_enabled in Preference.objects.filter(user=user).values_list(
            "topic", "channel", "is_enabled"
        )
    }
    return [
        (
            str(label),
            [
                PreferenceCell(
                    topic=str(topic),
                    channel=str(channel),
                    is_enabled=topic not in refused
                    and chosen.get((topic, channel), channel in TOPIC_DEFAULTS[topic]),
                )
                for channel in PERSONAL_CHANNELS
            ],
        )
        for topic, label in Topic.choices
    ]


def settings_for_user(user: User) -> RecipientSettings:
    """The user's phone number, quiet hours and digest choice (defaults when never saved)."""
    return recipient_settings(user)
