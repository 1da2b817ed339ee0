"""What the privacy domain itself holds about a person: consents, exports and closures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from cityhall.privacy.models import AccountClosure, ConsentRecord, DataExport
from cityhall.privacy.purposes import LegalBasis, Purpose, register_purpose
from cityhall.privacy.registry import (
    Erased,
    ExportTable,
    PersonalDataSource,
    export_rows,
    register_source,
)
from cityhall.privacy.services.exports import delete_data_exports_of

if TYPE_CHECKING:
    from cityhall.accounts.models import User

PRIVACY_RIGHTS = register_purpose(
    Purpose(
        code="privacy_rights",
        name=_("Answering for your data"),
        explanation=_(
            "Keep your consent choices, the copies of your data you asked for and your "
            "request to close your account, to honour them and prove it."
        ),
        basis=LegalBasis.LEGAL_OBLIGATION,
        data_categories=(_("Consents"), _("Account")),
    )
)


def _consents_export(user: User) -> list[ExportTable]:
    rows = ConsentRecord.objects.filter(user=user).values(
        "purpose", "is_given", "purpose_version", "text_shown", "language", "source", "created_at"
    )
    return [ExportTable("consents", export_rows(rows))]


def _consents_erase(user: User) -> Erased:
    return Erased(deleted=ConsentRecord.objects.filter(user=user).delete()[0])


def _exports_export(user: User) -> list[ExportTable]:
    rows = DataExport.objects.filter(user=user).values(
        "public_id", "status", "size_bytes", "created_at", "ready_at", "expires_at"
    )
    return [ExportTable("data_exports", export_rows(rows))]


def _exports_erase(user: User) -> Erased:
    return Erased(deleted=delete_data_exports_of(user))


def _closures_export(user: User) -> list[ExportTable]:
    rows = AccountClosure.objects.filter(user=user).values(
        "public_id", "status", "created_at", "confirmed_at", "erase_after", "cancelled_at"
    )
    return [ExportTable("account_closures", export_rows(rows))]


def _closures_erase(user: User) -> Erased:
    # The closure being carried out stays, without its owner (closures service); earlier,
    # cancelled ones go.
    cancelled = AccountClosure.objects.filter(user=user, status=AccountClosure.Status.CANCELLED)
    return Erased(deleted=cancelled.delete()[0])


register_source(
    PersonalDataSource(
        code="privacy.consents",
        name=_("Your consent choices"),
        description=_(
            "Each time you gave or withdrew your consent to a use of your data: which one, "
            "the words you were shown, and when."
        ),
        purposes=(PRIVACY_RIGHTS.code,),
        count=lambda user: ConsentRecord.objects.filter(user=user).count(),
        export=_consents_export,
        erase=_consents_erase,
        models=("privacy.ConsentRecord",),
        order=800,
    )
)
register_source(
    PersonalDataSource(
        code="privacy.exports",
        name=_("Copies of your data"),
        description=_(
            "The copies of your data you asked for; each file is deleted when its link expires."
        ),
        purposes=(PRIVACY_RIGHTS.code,),
        count=lambda user: DataExport.objects.filter(user=user).count(),
        export=_exports_export,
        erase=_exports_erase,
        models=("privacy.DataExport",),
        order=800,
    )
)
register_source(
    PersonalDataSource(
        code="privacy.closures",
        name=_("Requests to close your account"),
        description=_("When you asked to close your account, confirmed or cancelled it."),
        purposes=(PRIVACY_RIGHTS.code,),
        count=lambda user: AccountClosure.objects.filter(user=user).count(),
        export=_closures_export,
        erase=_closures_erase,
        models=("privacy.AccountClosure",),
        order=800,
    )
)
