"""Staff access with a reason: a citizen's contact details and private answers are shown to a
staff member only once they say why they need them, and each such reveal is audited.

The reveal lasts `settings.CONTACT_REVEAL_MINUTES` for that staff member and that request,
whichever door they use (the back-office page or the staff API): the audit line is the record
of it (`staff_reads.contact_details_revealed` reads it back), so there is nothing else to keep
in step (docs/decisions/0019).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput
from cityhall.servicerequests.access import require_staff_access
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import ServiceRequest

#: The longest "other" reason: a few words of the staff member's own, not a case file.
REASON_NOTE_MAX_LENGTH = 120


class AccessReason(models.TextChoices):
    """Why a staff member opens a citizen's contact details (stored in the audit line)."""

    HANDLING = "handling", _("Handling this request")
    COMPLAINT = "complaint", _("A complaint about this request")
    LEGAL_DEMAND = "legal_demand", _("A legal demand (court order, police, access request)")
    OTHER = "other", _("Another reason")


def reveal_lasts() -> timedelta:
    return timedelta(minutes=settings.CONTACT_REVEAL_MINUTES)


@transaction.atomic
def reveal_contact_details(
    *, service_request: ServiceRequest, staff: User, reason: str, note: str = ""
) -> None:
    """Record that `staff` opens the request's contact details and private answers, and why.

    `reason` is an `AccessReason` value; "other" needs a `note` in the staff member's own words
    (at most REASON_NOTE_MAX_LENGTH characters), which the citizen may read on their access
    log, so it must not repeat their personal data. Raises NotFound when `staff` may not handle
    the request, InvalidInput for a missing or unknown reason.
    """
    require_staff_access(staff, service_request)
    note = " ".join(note.split())
    errors: dict[str, list[str]] = {}
    if reason not in AccessReason.values:
        errors["reason"] = [str(_("Say why you need the citizen's details."))]
    elif reason == AccessReason.OTHER and not note:
        errors["note"] = [str(_("Say in a few words why you need the citizen's details."))]
    if len(note) > REASON_NOTE_MAX_LENGTH:
        errors["note"] = [
            str(
                _("Keep the reason under %(count)d characters.") % {"count": REASON_NOTE_MAX_LENGTH}
            )
        ]
    if errors:
        raise InvalidInput(fields=errors)
    data = {"reason": reason}
    if reason == AccessReason.OTHER:
        data["note"] = note
    record_audit_event(
        actor=staff,
        action=ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED,
        target=service_request,
        data=data,
    )
