"""What the notifications domain holds about a person: messages sent, and how to reach them.

Messages (with their deliveries and digest entries) are deleted on erasure; so are the
person's choices, phone number, browsers' push subscriptions, and any suppression of their
address or phone number, which nothing will send to again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.notifications.models import (
    Delivery,
    Notification,
    Preference,
    PushSubscription,
    RecipientSettings,
    Suppression,
)
from cityhall.privacy.purposes import LegalBasis, Purpose, register_purpose
from cityhall.privacy.registry import (
    Erased,
    ExportTable,
    PersonalDataSource,
    export_rows,
    register_source,
)

if TYPE_CHECKING:
    from cityhall.accounts.models import User

MESSAGES = register_purpose(
    Purpose(
        code="messages",
        name=_("Sending you the messages you chose"),
        explanation=_(
            "Use your email address, mobile number and devices to tell you about your "
            "requests and the topics you chose, on the channels you chose."
        ),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_("Contact details"), _("Messages")),
    )
)


def _messages_export(user: User) -> list[ExportTable]:
    notifications = Notification.objects.filter(recipient=user).values(
        "public_id", "topic", "subject", "body", "link", "created_at", "read_at"
    )
    deliveries = Delivery.objects.filter(notification__recipient=user).values(
        "notification__public_id", "channel", "address", "status", "sent_at", "delivered_at"
    )
    return [
        ExportTable("messages", export_rows(notifications.iterator(chunk_size=2000))),
        ExportTable("message_deliveries", export_rows(deliveries.iterator(chunk_size=2000))),
    ]


def _messages_erase(user: User) -> Erased:
    # Deliveries and digest entries go with their notification (CASCADE).
    return Erased(deleted=Notification.objects.filter(recipient=user).delete()[0])


def _settings_count(user: User) -> int:
    return (
        Preference.objects.filter(user=user).count()
        + RecipientSettings.objects.filter(user=user).count()
        + PushSubscription.objects.filter(user=user).count()
    )


def _settings_export(user: User) -> list[ExportTable]:
    preferences = Preference.objects.filter(user=user).values("topic", "channel", "is_enabled")
    settings = RecipientSettings.objects.filter(user=user).values(
        "phone_number", "quiet_hours_start", "quiet_hours_end", "digest_frequency"
    )
    # The endpoint is a capability of the push service, not something to hand around.
    devices = PushSubscription.objects.filter(user=user).values(
        "user_agent", "created_at", "last_success_at"
    )
    return [
        ExportTable("notification_choices", export_rows(preferences)),
        ExportTable("notification_settings", export_rows(settings)),
        ExportTable("push_devices", export_rows(devices)),
    ]


def _settings_erase(user: User) -> Erased:
    phones = list(
        RecipientSettings.objects.filter(user=user)
        .exclude(phone_number="")
        .values_list("phone_number", flat=True)
    )
    suppressed = Q(address__iexact=user.email) | Q(address__in=phones)
    deleted = Suppression.objects.filter(suppressed).delete()[0]
    deleted += Preference.objects.filter(user=user).delete()[0]
    deleted += RecipientSettings.objects.filter(user=user).delete()[0]
    deleted += PushSubscription.objects.filter(user=user).delete()[0]
    return Erased(deleted=deleted)


register_source(
    PersonalDataSource(
        code="notifications.messages",
        name=_("Messages to you"),
        description=_(
            "The messages the city sent you (emails, texts, notifications), where they went "
            "and whether they arrived."
        ),
        purposes=(MESSAGES.code,),
        count=lambda user: Notification.objects.filter(recipient=user).count(),
        export=_messages_export,
        erase=_messages_erase,
        retention=("notifications.delivery_log", "notifications.notifications"),
        models=("notifications.Notification", "notifications.Delivery", "notifications.DigestItem"),
        order=30,
    )
)
register_source(
    PersonalDataSource(
        code="notifications.settings",
        name=_("Notification settings"),
        description=_(
            "Which topics you hear about on which channel, your mobile number, quiet hours, "
            "summary frequency and the devices that receive notifications."
        ),
        purposes=(MESSAGES.code,),
        count=_settings_count,
        export=_settings_export,
        erase=_settings_erase,
        models=(
            "notifications.Preference",
            "notifications.RecipientSettings",
            "notifications.PushSubscription",
            "notifications.Suppression",
        ),
        order=30,
    )
)
