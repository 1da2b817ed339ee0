"""How long the requests domain keeps personal data: contact details of closed requests.

A request stays a public record; once it has been closed (or resolved, rejected, merged) for
the rule's months, the details that reach or identify its filer are emptied: contact name,
email and phone, and the client's account, device and retry ids. The reporter's own account
keeps the request in their list.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cityhall.privacy.batches import update_in_batches
from cityhall.privacy.registry import RetentionRule, register_retention_rule
from cityhall.servicerequests.models import ServiceRequest

#: Emptied together: the idempotency key goes with the client token, as the pair is unique.
CONTACT_FIELDS = (
    "contact_name",
    "contact_email",
    "contact_phone",
    "external_account_id",
    "device_id",
    "client_token",
    "idempotency_key",
)


def clear_contacts_of_closed_requests(cutoff: dt.datetime, dry_run: bool) -> int:
    """Empty the contact fields of requests finished before `cutoff`; returns how many."""
    blank = dict.fromkeys(CONTACT_FIELDS, "")
    # Keyed digests of these fields (for exact-value lookups) go blank with them.
    blank |= {
        field.name: ""
        for field in ServiceRequest._meta.concrete_fields
        if getattr(field, "source", None) in CONTACT_FIELDS
    }
    finished = (
        ServiceRequest.objects.exclude(status__in=ServiceRequest.OPEN_STATUSES)
        .alias(finished_at=Coalesce("closed_at", "resolved_at", "updated_at"))
        .filter(finished_at__lt=cutoff)
        .exclude(Q(**dict.fromkeys(CONTACT_FIELDS, "")))
    )
    return update_in_batches(finished, dry_run=dry_run, **blank)


CLOSED_REQUEST_CONTACTS = register_retention_rule(
    RetentionRule(
        code="servicerequests.closed_request_contacts",
        description=_(
            "Contact details (name, email, phone, the app's account and device ids) of "
            "requests closed, resolved, rejected or merged that long ago are emptied; the "
            "request stays as a public record."
        ),
        default_months=24,
        apply=clear_contacts_of_closed_requests,
    )
)
