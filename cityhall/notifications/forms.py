"""The preferences form the portal shows: one checkbox per topic and offered channel (see
`preferences.preference_channels_for`), plus settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from cityhall.notifications.models import PERSONAL_CHANNELS, ChannelKind, DigestFrequency, Topic
from cityhall.notifications.preferences import NotificationChoices


def checkbox_name(topic: str, channel: str) -> str:
    return f"{topic}__{channel}"


class NotificationPreferencesForm(forms.Form):
    phone_number = forms.CharField(
        label=_("Mobile phone number for text messages"),
        help_text=_("In international format, for example +15145550123. Leave empty for no texts."),
        required=False,
        max_length=16,
        validators=[
            RegexValidator(
                r"^\+[1-9][0-9]{6,14}$",
                _("Enter the number in international format, for example +15145550123."),
            )
        ],
    )
    quiet_hours_start = forms.TimeField(
        label=_("Quiet hours start (for example 22:00)"), required=False
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet hours end (for example 07:00)"), required=False
    )
    digest_frequency = forms.ChoiceField(
        label=_("Emails"), choices=DigestFrequency.choices, widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, channels: tuple[ChannelKind, ...] = PERSONAL_CHANNELS, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.channels = channels
        for topic, topic_label in Topic.choices:
            for channel in channels:
                self.fields[checkbox_name(topic, channel)] = forms.BooleanField(
                    label=f"{topic_label}: {channel.label}", required=False
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("quiet_hours_start") is None) != (cleaned.get("quiet_hours_end") is None):
            self.add_error("quiet_hours_end", _("Give both the start and the end, or neither."))
        return cleaned

    def to_choices(self) -> NotificationChoices:
        """The validated form as the service's input."""
        data = self.cleaned_data
        return NotificationChoices(
            enabled=frozenset(
                (topic, channel)
                for topic in Topic.values
                for channel in self.channels
                if data.get(checkbox_name(topic, channel))
            ),
            phone_number=data.get("phone_number", ""),
            quiet_hours_start=data.get("quiet_hours_start"),
            quiet_hours_end=data.get("quiet_hours_end"),
            digest_frequency=data["digest_frequency"],
        )
