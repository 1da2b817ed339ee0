"""Reading the demo city back: whether it is loaded and which demo sign-ins exist."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cityhall.accounts.models import StaffRole, User
from cityhall.catalog.models import Department
from cityhall.demo.generator.administration import DEMO_ACCOUNTS, DemoAccount
from cityhall.demo.models import DemoCity


@dataclass(frozen=True)
class DemoSignIn:
    """A demo account as the banner shows it. The password is a public demo credential."""

    email: str
    password: str
    full_name: str
    role: str
    totp_secret: str


def demo_city_is_loaded() -> bool:
    return DemoCity.objects.exists()


def demo_sign_ins() -> list[DemoSignIn]:
    """The demo accounts present in the database, citizen first, with what signs them in.

    The TOTP secret is read from the account, so a secret changed since loading is the one
    shown. Empty when the demo city is not loaded.
    """
    if not demo_city_is_loaded():
        return []
    users = {
        user.email: user
        for user in User.objects.filter(email__in=[account.email for account in DEMO_ACCOUNTS])
    }
    departments = {
        department.code: department
        for department in Department.objects.filter(
            code__in={account.department_code for account in DEMO_ACCOUNTS}
        )
    }
    sign_ins = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.email)
        if user is None:
            continue
        sign_ins.append(
            DemoSignIn(
                email=user.email,
                password=account.password,
                full_name=user.full_name,
                role=_role_label(account, departments.get(account.department_code)),
                totp_secret=user.totp_secret if user.is_staff else "",
            )
        )
    return sign_ins


def _role_label(account: DemoAccount, department: Department | None) -> str:
    if account.partner_name:
        return _("Partner, %(organisation)s") % {"organisation": account.partner_name}
    if not account.role:
        return _("Citizen")
    label = str(StaffRole.Role(account.role).label)
    if department is None:
        return label
    return _("%(role)s, %(department)s") % {"role": label, "department": department.name}
