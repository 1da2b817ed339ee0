"""What the audit log holds about a person: what they did, and from which network address.

Audit lines are kept (they prove what happened, and the hash chain forbids removing them);
they never carry personal data besides `ip_address`, which erasure clears on every line the
person wrote or that is about their account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import AuditEvent
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

SECURITY = register_purpose(
    Purpose(
        code="security",
        name=_("Keeping a record of who did what"),
        explanation=_(
            "Record what you and the city's staff do with your account and your requests, "
            "and from which network address, to detect abuse and answer for every access."
        ),
        basis=LegalBasis.LEGAL_OBLIGATION,
        data_categories=(_("Use of the portal"), _("Network address")),
    )
)


def _lines_of(user: User) -> Q:
    return Q(actor=user) | Q(target_type="accounts.user", target_id=str(user.public_id))


def _export(user: User) -> list[ExportTable]:
    rows = (
        AuditEvent.objects.filter(_lines_of(user))
        .order_by("created_at", "id")
        .values("action", "target_type", "target_id", "ip_address", "created_at")
    )
    return [ExportTable("activity", export_rows(rows.iterator(chunk_size=2000)))]


def _erase(user: User) -> Erased:
    cleared = (
        AuditEvent.objects.filter(_lines_of(user)).exclude(ip_address=None).update(ip_address=None)
    )
    return Erased(anonymised=cleared)


register_source(
    PersonalDataSource(
        code="core.activity",
        name=_("Your activity"),
        description=_(
            "What you did with your account (signing in, filing, changing settings), when, "
            "and from which network address. If you close your account, the record stays "
            "without your network address."
        ),
        purposes=(SECURITY.code,),
        count=lambda user: AuditEvent.objects.filter(_lines_of(user)).count(),
        export=_export,
        erase=_erase,
        retention=("core.audit_ip_addresses",),
        models=("core.AuditEvent",),
        order=900,
    )
)
