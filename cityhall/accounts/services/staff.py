"""Staff accounts and their roles: create (city admin) → grant roles → revoke roles.

A city administrator may grant any role anywhere. A department administrator may grant and
revoke roles only in their own departments, and never city-wide roles. The last city
administrator's role cannot be revoked, so the city never locks itself out.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.models import StaffRole, User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import (
    department_ids_administered_by,
    has_capability,
    is_city_admin,
)
from cityhall.accounts.services.validation import normalise_email
from cityhall.accounts.tasks import send_staff_invitation
from cityhall.catalog.models import Department
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput, PermissionDenied

Role = StaffRole.Role


@transaction.atomic
def create_staff_user(
    *, actor: User | None, email: str, full_name: str, preferred_language: str = "en"
) -> User:
    """Make the account at `email` a staff account, creating it if needed, and return it.

    A new account gets no password: an invitation to choose one is queued. `actor` must hold
    MANAGE_STAFF_ACCOUNTS (a city administrator); None stands for the operator at the command
    line. Raises PermissionDenied for other actors and InvalidInput for a malformed address.
    The account holds no role until one is granted.
    """
    if actor is not None and not has_capability(actor, Capability.MANAGE_STAFF_ACCOUNTS):
        raise PermissionDenied
    email = normalise_email(email)
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email, full_name=full_name.strip(), preferred_language=preferred_language)
        user.set_unusable_password()
        _check_email(user)
    user.is_staff = True
    user.save()
    record_audit_event(
        actor=actor,
        action=AccountsAuditAction.STAFF_USER_CREATED,
        target=user,
        data={"new_account": created},
    )
    if created:
        transaction.on_commit(partial(send_staff_invitation.enqueue, user.id))
    return user


def _check_email(user: User) -> None:
    try:
        user.clean_fields(exclude=["password"])
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error


def _check_may_manage(*, actor: User | None, department: Department | None) -> None:
    if actor is None or is_city_admin(actor):
        return
    if department is None or department.id not in department_ids_administered_by(actor):
        raise PermissionDenied


def _check_role_fits_department(*, role: str, department: Department | None) -> None:
    if role not in Role.values:
        raise InvalidInput(fields={"role": [_("Choose a role from the list.")]})
    if role == Role.CITY_ADMIN and department is not None:
        raise InvalidInput(fields={"department": [_("City administrators work city-wide.")]})
    if role == Role.DEPARTMENT_ADMIN and department is None:
        raise InvalidInput(
            fields={"department": [_("A department administrator needs a department.")]}
        )


@transaction.atomic
def grant_staff_role(
    *, actor: User | None, user: User, role: str, department: Department | None
) -> StaffRole:
    """Give `user` a role in `department` (None: city-wide) and mark the account as staff.

    `actor` None stands for the operator at the command line (who makes the first city
    administrator).
    Raises PermissionDenied when `actor` may not manage roles there, InvalidInput when the
    role and department do not fit together, Conflict when the role is already held.
    """
    _check_role_fits_department(role=role, department=department)
    _check_may_manage(actor=actor, department=department)
    if role == Role.CITY_ADMIN and actor is not None and not is_city_admin(actor):
        raise PermissionDenied
    if StaffRole.objects.filter(user=user, role=role, department=department).exists():
        raise Conflict(_("This person already holds this role there."))
    staff_role = StaffRole.objects.create(user=user, role=role, department=department)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff", "updated_at"])
    record_audit_event(
        actor=actor,
        action=AccountsAuditAction.STAFF_ROLE_GRANTED,
        target=user,
        data=_role_data(staff_role),
    )
    return staff_role


def _role_data(staff_role: StaffRole) -> dict[str, str | None]:
    department = staff_role.department
    return {"role": staff_role.role, "department": department.code if department else None}


@transaction.atomic
def revoke_staff_role(*, actor: User | None, staff_role: StaffRole) -> None:
    """Take a role away (`actor` None: the operator at the command line).

    Raises PermissionDenied when `actor` may not manage roles in its department (city-wide
    roles: city administrators only) and Conflict for the city's last administrator role.
    """
    _check_may_manage(actor=actor, department=staff_role.department)
    if staff_role.role == Role.CITY_ADMIN:
        remaining = StaffRole.objects.select_for_update().filter(
            role=Role.CITY_ADMIN, user__is_active=True
        )
        if remaining.exclude(pk=staff_role.pk).count() == 0:
            raise Conflict(_("The city needs at least one city administrator."))
    data = _role_data(staff_role)
    user = staff_role.user
    staff_role.delete()
    record_audit_event(
        actor=actor, action=AccountsAuditAction.STAFF_ROLE_REVOKED, target=user, data=data
    )
