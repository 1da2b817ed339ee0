"""What the accounts domain holds about a person: the account itself, API tokens and staff work.

Erasing the account anonymises the `User` row in place and never deletes it (decision 0021):
foreign keys, public records and the audit log keep pointing at a row that names no one.
"""

from __future__ import annotations

import uuid

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import (
    ApiKey,
    PartnerMembership,
    PersonalAccessToken,
    StaffRole,
    Team,
    User,
)
from cityhall.privacy.purposes import LegalBasis, Purpose, register_purpose
from cityhall.privacy.registry import (
    Erased,
    ExportTable,
    PersonalDataSource,
    export_rows,
    register_source,
)

ACCOUNT = register_purpose(
    Purpose(
        code="account",
        name=_("Your account"),
        explanation=_(
            "Use your email address and name to let you sign in, keep your requests and "
            "settings together, and write to you about your account."
        ),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_("Contact details"), _("Account")),
    )
)

#: The domain of the addresses erased accounts are given: reserved, it can receive no mail.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def _profile_export(user: User) -> list[ExportTable]:
    row = {
        "public_id": str(user.public_id),
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "created_at": user.created_at,
        "email_verified_at": user.email_verified_at,
        "last_login": user.last_login,
        "has_two_factor": user.totp_confirmed_at is not None,
        "is_staff": user.is_staff,
    }
    return [ExportTable("profile", export_rows([row]))]


def _profile_erase(user: User) -> Erased:
    """Anonymise the account: no address, name, password, two-factor secret or permission.

    Changing the password hash ends every session of the account (Django checks it on each
    request), so nobody stays signed in as the erased person.
    """
    user.email = f"erased-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
    user.full_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.email_verified_at = None
    user.last_login = None
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return Erased(anonymised=1)


def _tokens(user: User) -> list[ExportTable]:
    rows = PersonalAccessToken.objects.filter(user=user).values(
        "public_id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"
    )
    return [ExportTable("api_tokens", export_rows(rows))]


def _tokens_erase(user: User) -> Erased:
    deleted, _by_model = PersonalAccessToken.objects.filter(user=user).delete()
    return Erased(deleted=deleted)


def _work_count(user: User) -> int:
    return (
        StaffRole.objects.filter(user=user).count()
        + PartnerMembership.objects.filter(user=user).count()
    )


def _work_export(user: User) -> list[ExportTable]:
    roles = StaffRole.objects.filter(user=user).values("role", "department__code", "created_at")
    memberships = PartnerMembership.objects.filter(user=user).values(
        "organisation__name", "is_manager", "created_at"
    )
    teams = Team.objects.filter(members=user).values("name_en", "department__code")
    keys = ApiKey.objects.filter(created_by=user).values(
        "organisation__name", "name", "prefix", "created_at", "revoked_at"
    )
    return [
        ExportTable("staff_roles", export_rows(roles)),
        ExportTable("partner_memberships", export_rows(memberships)),
        ExportTable("teams", export_rows(teams)),
        ExportTable("api_keys_created", export_rows(keys)),
    ]


def _work_erase(user: User) -> Erased:
    deleted = StaffRole.objects.filter(user=user).delete()[0]
    deleted += PartnerMembership.objects.filter(user=user).delete()[0]
    user.teams.clear()
    # A partner's key outlives the person who made it; it only stops naming them.
    anonymised = ApiKey.objects.filter(created_by=user).update(created_by=None)
    return Erased(deleted=deleted, anonymised=anonymised)


register_source(
    PersonalDataSource(
        code="accounts.profile",
        name=_("Your account"),
        description=_(
            "Your email address, name, preferred language, when you signed up and last signed "
            "in, and whether two-factor sign-in is on. Never your password, which is stored "
            "only as a one-way hash."
        ),
        purposes=(ACCOUNT.code,),
        count=lambda user: 1,
        export=_profile_export,
        erase=_profile_erase,
        retention=("accounts.unverified_accounts", "accounts.expired_sessions"),
        models=("accounts.User",),
        order=1000,
    )
)
register_source(
    PersonalDataSource(
        code="accounts.access_tokens",
        name=_("API tokens"),
        description=_(
            "The tokens you made to use the city's API: their names and dates, never their secret."
        ),
        purposes=(ACCOUNT.code,),
        count=lambda user: PersonalAccessToken.objects.filter(user=user).count(),
        export=_tokens,
        erase=_tokens_erase,
        models=("accounts.PersonalAccessToken",),
    )
)
register_source(
    PersonalDataSource(
        code="accounts.work",
        name=_("Work for the city or a partner"),
        description=_(
            "Staff roles, teams and partner organisations you belong to, and the partner API "
            "keys you made."
        ),
        purposes=(ACCOUNT.code,),
        count=_work_count,
        export=_work_export,
        erase=_work_erase,
        models=(
            "accounts.StaffRole",
            "accounts.PartnerMembership",
            "accounts.Team",
            "accounts.ApiKey",
        ),
        staff_only=True,
    )
)
