"""Accounts created in bulk for synthetic residents, and the demo city's sign-in accounts.

Residents are created many at once, already verified and with no usable password: they stand
for people who would sign in by link. Demo accounts get a known password and, for staff, a
confirmed TOTP secret, so that a newcomer can sign in with what `make run` prints. Both are
removed together when the demo city is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import PartnerOrganisation, StaffRole, User
from cityhall.accounts.services.validation import normalise_email
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict

BATCH_SIZE = 500


@dataclass(frozen=True)
class NewCitizen:
    email: str
    full_name: str
    preferred_language: str = User.Language.FRENCH


@dataclass(frozen=True)
class NewDemoAccount:
    """A demo sign-in. `totp_secret` (base32) is stored confirmed; staff need one."""

    email: str
    password: str
    full_name: str
    preferred_language: str
    is_staff: bool = False
    totp_secret: str = ""


@transaction.atomic
def create_citizen_accounts(*, people: Sequence[NewCitizen], actor: User | None) -> int:
    """Create verified citizen accounts without usable passwords; return how many.

    Queues no email. Raises Conflict, creating nothing, when an address is repeated or
    already has an account. One audit event (`accounts.citizens_created`) covers the batch.
    """
    emails = [normalise_email(person.email) for person in people]
    if len(set(emails)) != len(emails):
        raise Conflict(_("An email address appears twice in the batch."))
    for start in range(0, len(emails), BATCH_SIZE):
        if User.objects.filter(email__in=emails[start : start + BATCH_SIZE]).exists():
            raise Conflict(_("An email address in the batch already has an account."))
    now = timezone.now()
    # One unusable hash for all: make_password(None) is a random marker, not a secret.
    unusable = make_password(None)
    users = [
        User(
            email=email,
            full_name=person.full_name.strip(),
            preferred_language=person.preferred_language,
            email_verified_at=now,
            password=unusable,
        )
        for email, person in zip(emails, people, strict=True)
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    record_audit_event(actor=actor, action="accounts.citizens_created", data={"count": len(users)})
    return len(users)


@transaction.atomic
def create_demo_account(
    *, account: NewDemoAccount, actor: User | None, is_city_admin: bool = False
) -> User:
    """Create a verified account with a known password (and TOTP secret, for staff).

    `is_city_admin` also gives the city-wide administrator role: the demo city needs a first
    administrator, and granting roles otherwise takes one. Raises Conflict when the address
    already has an account.
    """
    email = normalise_email(account.email)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("This email address already has an account."))
    now = timezone.now()
    user = User(
        email=email,
        full_name=account.full_name,
        preferred_language=account.preferred_language,
        is_staff=account.is_staff or is_city_admin,
        email_verified_at=now,
        totp_secret=account.totp_secret,
        totp_confirmed_at=now if account.totp_secret else None,
    )
    user.set_password(account.password)
    user.save()
    if is_city_admin:
        StaffRole.objects.create(user=user, role=StaffRole.Role.CITY_ADMIN, department=None)
    record_audit_event(
        actor=actor,
        action="accounts.demo_account_created",
        target=user,
        data={"is_staff": user.is_staff, "is_city_admin": is_city_admin},
    )
    return user


@transaction.atomic
def delete_demo_accounts(
    *, emails: Sequence[str], partner_names: Sequence[str], actor: User | None
) -> int:
    """Delete the accounts at `emails` and the organisations named; return accounts deleted.

    Their roles, memberships and API keys go with them; audit lines they wrote stay,
    anonymised. Addresses and names with no account or organisation are skipped.
    """
    normalised = [normalise_email(email) for email in emails]
    deleted = 0
    for start in range(0, len(normalised), BATCH_SIZE):
        batch = normalised[start : start + BATCH_SIZE]
        deleted += User.objects.filter(email__in=batch).delete()[1].get(User._meta.label, 0)
    organisations = PartnerOrganisation.objects.filter(name__in=list(partner_names)).delete()
    record_audit_event(
        actor=actor,
        action="accounts.demo_accounts_deleted",
        data={
            "accounts": deleted,
            "organisations": organisations[1].get(PartnerOrganisation._meta.label, 0),
        },
    )
    return deleted
