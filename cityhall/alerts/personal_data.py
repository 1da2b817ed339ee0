"""What the alerts domain holds about a person: the places they are alerted about, and for
staff and partners' members the alerts they drafted, approved or rejected.

A subscription is the person's own: erasure deletes their places, and the subscriptions made
without an account under the email address they have since proved is theirs (found by its
keyed digest). A phone number is never proved, so subscriptions by text message are found only
by their stop link. Alerts are public records (CAP feeds and other authorities have copied
them): erasure keeps each alert and its texts, which quote no officer, still pointing at the
account row that the account's own erasure anonymises in place (decision 0021).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.alerts.models import Alert, AlertSubscriber
from cityhall.core.encrypted_fields import digest_lookup
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

EMERGENCY_ALERTS = register_purpose(
    Purpose(
        code="emergency_alerts",
        name=_("Alerting you to emergencies"),
        explanation=_(
            "Use the places you chose and your email address or mobile number to warn you of "
            "an emergency that reaches those places."
        ),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_("Contact details"), _("Places")),
    )
)


def _subscriptions(user: User) -> Q:
    """The person's places, and those subscribed without an account under their proved email."""
    mine = Q(user=user)
    if user.email_verified_at is not None:
        mine |= Q(user__isnull=True) & digest_lookup("email_digest", user.email)
    return mine


def _subscriptions_export(user: User) -> list[ExportTable]:
    # Read through model instances, not `values()`, so that the contact fields are decrypted.
    subscribers = AlertSubscriber.objects.filter(_subscriptions(user)).select_related(
        "address", "facility"
    )
    rows = [
        {
            "public_id": subscriber.public_id,
            "kind": subscriber.kind,
            "channel": subscriber.channel,
            "email": subscriber.email,
            "phone_number": subscriber.phone_number,
            "language": subscriber.language,
            "address": str(subscriber.address) if subscriber.address else "",
            "facility": subscriber.facility.name_en if subscriber.facility else "",
            "postal_code": subscriber.postal_code,
            "latitude": subscriber.latitude,
            "longitude": subscriber.longitude,
            "confirmed_at": subscriber.confirmed_at,
            "receives_exercises_and_tests": subscriber.is_test_recipient,
            "created_at": subscriber.created_at,
        }
        for subscriber in subscribers
    ]
    return [ExportTable("alert_places", export_rows(rows))]


def _subscriptions_erase(user: User) -> Erased:
    return Erased(deleted=AlertSubscriber.objects.filter(_subscriptions(user)).delete()[0])


register_source(
    PersonalDataSource(
        code="alerts.subscriptions",
        name=_("Places you are alerted about"),
        description=_(
            "The places where you asked to be warned of emergencies (home, work, followed "
            "places, addresses or postal codes), with the email address or mobile number the "
            "warnings go to."
        ),
        purposes=(EMERGENCY_ALERTS.code,),
        count=lambda user: AlertSubscriber.objects.filter(_subscriptions(user)).count(),
        export=_subscriptions_export,
        erase=_subscriptions_erase,
        retention=("alerts.unconfirmed_subscriptions",),
        models=("alerts.AlertSubscriber",),
        order=30,
    )
)


def _authored(user: User) -> Q:
    return Q(drafted_by=user) | Q(approved_by=user) | Q(rejected_by=user)


def _authored_export(user: User) -> list[ExportTable]:
    rows = [
        {
            "identifier": alert.identifier,
            "drafted": alert.drafted_by_id == user.pk,
            "approved": alert.approved_by_id == user.pk,
            "rejected": alert.rejected_by_id == user.pk,
            "partner": alert.partner.name if alert.partner else "",
            "state": alert.state,
            "rejection_reason": alert.rejection_reason,
            "submitted_at": alert.submitted_at,
            "published_at": alert.published_at,
            "created_at": alert.created_at,
        }
        for alert in Alert.objects.filter(_authored(user)).select_related("partner")
    ]
    return [ExportTable("alerts_authored", export_rows(rows))]


def _authored_erase(user: User) -> Erased:
    # The alerts stay as public records; they name the person only through the account row,
    # which accounts.profile anonymises in place last.
    return Erased()


register_source(
    PersonalDataSource(
        code="alerts.authored",
        name=_("Emergency alerts you worked on"),
        description=_(
            "For staff and partners: the alerts you drafted, approved or rejected. If your "
            "account is closed, the alerts stay as public records, naming no one."
        ),
        purposes=(EMERGENCY_ALERTS.code,),
        count=lambda user: Alert.objects.filter(_authored(user)).count(),
        export=_authored_export,
        erase=_authored_erase,
        models=("alerts.Alert", "alerts.AlertText"),
        staff_only=True,
    )
)
