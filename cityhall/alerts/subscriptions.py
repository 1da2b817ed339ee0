"""Subscribing to alerts: by address or postal code without an account, or an account's places.

Without an account, a subscription starts unconfirmed; the confirmation link goes to the email
or phone given (through notifications' bulk path, so texts and emails both retry), and only a
confirmed subscription is ever alerted. Every message carries a stop link (subscription_links).
A signed-in resident's home and work addresses are confirmed at once: the account is theirs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cityhall.accounts.models import User
from cityhall.alerts.links import absolute
from cityhall.alerts.models import AlertSubscriber
from cityhall.alerts.subscription_links import (
    InvalidSubscriptionLink,
    check_stop_token,
    confirmation_token,
    confirmed_public_id,
    stop_url,
)
from cityhall.alerts.targeting import subscriber_cell
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.notifications.bulk import BulkEvent, BulkRecipient, BulkText, record_bulk
from cityhall.notifications.models import ChannelKind, Topic, Urgency
from cityhall.places.models import Address

ACCOUNT_KINDS = (AlertSubscriber.Kind.HOME, AlertSubscriber.Kind.WORK)


@dataclass(frozen=True)
class Point:
    """Where a subscription is: a point, and the address or postal code it came from."""

    latitude: float
    longitude: float
    address: Address | None = None
    postal_code: str = ""


def normalised_postal_code(text: str) -> str:
    """ "h2x 1y4" → "H2X1Y4": how postal codes are compared."""
    return "".join(text.split()).upper()


def postal_code_point(text: str) -> Point:
    """The centre of the addresses sharing a postal code; InvalidInput when none does."""
    code = normalised_postal_code(text)
    found = (
        Address.objects.filter(postal_code__iexact=code).aggregate(
            latitude=Avg("latitude"), longitude=Avg("longitude"), count=Count("id")
        )
        if code
        else {"count": 0}
    )
    if not found["count"]:
        # Registers may store "H2X 1Y4": try the spaced form before giving up.
        spaced = f"{code[:3]} {code[3:]}"
        found = Address.objects.filter(postal_code__iexact=spaced).aggregate(
            latitude=Avg("latitude"), longitude=Avg("longitude"), count=Count("id")
        )
    if not found["count"]:
        raise InvalidInput(_("We know no address with this postal code in the city."))
    return Point(found["latitude"], found["longitude"], postal_code=code)


def address_point(address: Address) -> Point:
    return Point(address.latitude, address.longitude, address=address)


def _send_confirmation(subscriber: AlertSubscriber) -> None:
    by_email = subscriber.channel == AlertSubscriber.Channel.EMAIL
    language = subscriber.language
    with override(language):
        link = absolute(
            reverse("alert_subscriptions:confirm", args=[confirmation_token(subscriber.public_id)])
        )
        text = BulkText(
            subject=_("Confirm your emergency alerts"),
            body=_("To receive emergency alerts for this place, confirm here: %(link)s")
            % {"link": link},
        )
    record_bulk(
        BulkEvent(
            key=f"alert-subscription:{subscriber.public_id.hex}",
            topic=Topic.ALERTS,
            template_code="alert-subscription-confirm",
            urgency=Urgency.EMERGENCY,
            texts={language: text},
        ),
        [
            BulkRecipient(
                key="confirm",
                language=language,
                channels=((ChannelKind.EMAIL, subscriber.email.lower()),)
                if by_email
                else ((ChannelKind.SMS, subscriber.phone_number),),
                unsubscribe_url=stop_url(subscriber.public_id, language) if by_email else "",
            )
        ],
    )


@transaction.atomic
def subscribe_without_account(
    *, point: Point, email: str = "", phone_number: str = "", language: str
) -> AlertSubscriber:
    """Record an unconfirmed subscription for `point` and send its confirmation link.

    Exactly one of `email` and `phone_number` (E.164) must be given (InvalidInput otherwise).
    """
    if bool(email) == bool(phone_number):
        raise InvalidInput(_("Give an email address or a mobile phone number, not both."))
    subscriber = AlertSubscriber.objects.create(
        kind=AlertSubscriber.Kind.POSTAL_CODE
        if point.postal_code
        else AlertSubscriber.Kind.ADDRESS,
        channel=AlertSubscriber.Channel.EMAIL if email else AlertSubscriber.Channel.SMS,
        email=email.strip(),
        phone_number=phone_number.strip(),
        language=language,
        address=point.address,
        postal_code=point.postal_code,
        latitude=point.latitude,
        longitude=point.longitude,
        h3_cell=subscriber_cell(point.latitude, point.longitude),
    )
    record_audit_event(actor=None, action="alerts.subscription_requested", target=subscriber)
    _send_confirmation(subscriber)
    return subscriber


@transaction.atomic
def confirm_subscription(token: str) -> AlertSubscriber:
    """Confirm the subscription a confirmation link names (again: no change)."""
    try:
        public_id = confirmed_public_id(token)
    except InvalidSubscriptionLink as error:
        raise NotFound(_("This confirmation link is not valid any more.")) from error
    subscriber = AlertSubscriber.objects.select_for_update().filter(public_id=public_id).first()
    if subscriber is None:
        raise NotFound(_("This confirmation link is not valid any more."))
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at", "updated_at"])
        record_audit_event(actor=None, action="alerts.subscription_confirmed", target=subscriber)
    return subscriber


def subscription_to_stop(public_id: uuid.UUID, token: str) -> AlertSubscriber:
    """The subscription a stop link names; NotFound for an altered or used link."""
    try:
        check_stop_token(public_id, token)
    except InvalidSubscriptionLink as error:
        raise NotFound(_("This link is not valid any more.")) from error
    subscriber = AlertSubscriber.objects.filter(public_id=public_id, user__isnull=True).first()
    if subscriber is None:
        raise NotFound(_("This subscription has already ended."))
    return subscriber


@transaction.atomic
def stop_subscription(subscriber: AlertSubscriber) -> None:
    """End a subscription without account: nothing more is sent to it."""
    record_audit_event(actor=None, action="alerts.subscription_stopped", target=subscriber)
    subscriber.delete()


def account_places(user: User) -> list[AlertSubscriber]:
    return list(
        AlertSubscriber.objects.filter(user=user).select_related("address").order_by("kind", "id")
    )


@transaction.atomic
def add_account_place(*, user: User, kind: str, address: Address) -> AlertSubscriber:
    """Alert `user` about their home or work `address` (one of each; a new one replaces it)."""
    if kind not in ACCOUNT_KINDS:
        raise InvalidInput(_("Choose home or work."))
    AlertSubscriber.objects.filter(user=user, kind=kind).delete()
    subscriber = AlertSubscriber.objects.create(
        user=user,
        kind=kind,
        language=user.preferred_language or "en",
        address=address,
        postal_code=address.postal_code,
        latitude=address.latitude,
        longitude=address.longitude,
        h3_cell=subscriber_cell(address.latitude, address.longitude),
        confirmed_at=timezone.now(),
    )
    record_audit_event(actor=user, action="alerts.place_added", target=subscriber)
    return subscriber


@transaction.atomic
def remove_account_place(*, user: User, public_id: uuid.UUID) -> None:
    """Stop alerting `user` about one of their places; NotFound if it is not theirs."""
    subscriber = AlertSubscriber.objects.filter(user=user, public_id=public_id).first()
    if subscriber is None:
        raise NotFound(_("This place is not among yours."))
    record_audit_event(actor=user, action="alerts.place_removed", target=subscriber)
    subscriber.delete()
