"""What the integrations domain holds about a person: the webhooks a staff member set up.

Webhook payloads carry no personal data (integrations.payloads); only `created_by` names a
person, and erasure clears it while the city's or partner's subscription keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from cityhall.integrations.models import WebhookSubscription
from cityhall.privacy.registry import (
    Erased,
    ExportTable,
    PersonalDataSource,
    export_rows,
    register_source,
)

if TYPE_CHECKING:
    from cityhall.accounts.models import User


def _export(user: User) -> list[ExportTable]:
    rows = WebhookSubscription.objects.filter(created_by=user).values(
        "public_id", "target_url", "events", "created_at", "disabled_at"
    )
    return [ExportTable("webhooks_set_up", export_rows(rows))]


def _erase(user: User) -> Erased:
    return Erased(
        anonymised=WebhookSubscription.objects.filter(created_by=user).update(created_by=None)
    )


register_source(
    PersonalDataSource(
        code="integrations.webhooks",
        name=_("Webhooks you set up"),
        description=_("The webhook subscriptions you created for the city or a partner."),
        purposes=("account",),
        count=lambda user: WebhookSubscription.objects.filter(created_by=user).count(),
        export=_export,
        erase=_erase,
        models=("integrations.WebhookSubscription",),
        staff_only=True,
    )
)
