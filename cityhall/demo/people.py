"""The demo city's people: residents, the demo sign-ins with their roles, partner organisations.

Everything goes through the accounts services. An address or organisation name that already
exists is left alone and not counted as the demo's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cityhall.accounts.models import PartnerOrganisation, User
from cityhall.accounts.services import (
    add_partner_member,
    create_citizen_accounts,
    create_partner_organisation,
    grant_staff_role,
)
from cityhall.accounts.services.residents import (
    NewCitizen,
    NewDemoAccount,
    create_demo_account,
)
from cityhall.catalog.models import Department
from cityhall.demo.generator.administration import (
    DEMO_ACCOUNTS,
    DEMO_COLLEAGUES,
    PARTNERS,
    DemoAccount,
)
from cityhall.demo.generator.city import GeneratedCity

CITY_ADMIN = "city_admin"
#: Existence checks are batched so that a few thousand addresses cost a handful of queries.
LOOKUP_BATCH = 500


@dataclass
class DemoPeople:
    """What was created: `emails` of every new account, `partner_names` of new organisations."""

    emails: list[str] = field(default_factory=list)
    partner_names: list[str] = field(default_factory=list)
    residents: int = 0
    demo_accounts: int = 0


def create_demo_people(city: GeneratedCity) -> DemoPeople:
    """Create the residents of `city`, the demo sign-ins and the partner organisations."""
    people = DemoPeople()
    _create_residents(city, people)
    _create_demo_accounts(people)
    _create_partners(people)
    return people


def _existing_emails(emails: list[str]) -> set[str]:
    existing: set[str] = set()
    for start in range(0, len(emails), LOOKUP_BATCH):
        batch = emails[start : start + LOOKUP_BATCH]
        existing.update(User.objects.filter(email__in=batch).values_list("email", flat=True))
    return existing


def _create_residents(city: GeneratedCity, people: DemoPeople) -> None:
    existing = _existing_emails([resident.email for resident in city.residents])
    new = [
        NewCitizen(
            email=resident.email,
            full_name=resident.full_name,
            preferred_language=resident.preferred_language,
        )
        for resident in city.residents
        if resident.email not in existing
    ]
    people.residents = create_citizen_accounts(people=new, actor=None)
    people.emails += [citizen.email for citizen in new]


def _create_demo_accounts(people: DemoPeople) -> None:
    everyone = DEMO_ACCOUNTS + DEMO_COLLEAGUES
    existing = _existing_emails([account.email for account in everyone])
    # The city administrator comes first: granting every other role takes one.
    ordered = sorted(everyone, key=lambda account: account.role != CITY_ADMIN)
    granter: User | None = None
    for account in ordered:
        if account.email in existing:
            user = User.objects.get(email=account.email)
        else:
            user = create_demo_account(
                account=_new_demo_account(account),
                actor=None,
                is_city_admin=account.role == CITY_ADMIN,
            )
            people.emails.append(user.email)
            if account in DEMO_ACCOUNTS:  # sign-ins only; colleagues are not offered to newcomers
                people.demo_accounts += 1
            _grant_role(account, user=user, granter=granter)
        if account.role == CITY_ADMIN:
            granter = user


def _new_demo_account(account: DemoAccount) -> NewDemoAccount:
    return NewDemoAccount(
        email=account.email,
        password=account.password,
        full_name=account.full_name,
        preferred_language=account.preferred_language,
        is_staff=account.is_staff,
        totp_secret=account.totp_secret,
    )


def _grant_role(account: DemoAccount, *, user: User, granter: User | None) -> None:
    if not account.role or account.role == CITY_ADMIN or granter is None:
        return
    if not account.department_code:
        grant_staff_role(actor=granter, user=user, role=account.role, department=None)
        return
    codes = (account.department_code, *account.also_department_codes)
    for department in Department.objects.filter(code__in=codes).order_by("code"):
        grant_staff_role(actor=granter, user=user, role=account.role, department=department)


def _create_partners(people: DemoPeople) -> None:
    new_members = {account.email for account in DEMO_ACCOUNTS} & set(people.emails)
    for partner in PARTNERS:
        organisation = PartnerOrganisation.objects.filter(name=partner.name).first()
        if organisation is None:
            organisation = create_partner_organisation(
                actor=None, name=partner.name, kind=partner.kind, email=partner.email
            )
            people.partner_names.append(organisation.name)
        for account in DEMO_ACCOUNTS:
            if account.partner_name == partner.name and account.email in new_members:
                user = User.objects.get(email=account.email)
                add_partner_member(
                    actor=None, organisation=organisation, user=user, is_manager=True
                )
