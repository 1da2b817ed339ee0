"""Who may change the catalog: city administrators anywhere, department administrators at home."""

from __future__ import annotations

from django.db.models import QuerySet

from cityhall.accounts.models import StaffRole, User
from cityhall.catalog.models import Department
from cityhall.core.errors import PermissionDenied

Role = StaffRole.Role


def can_manage_catalog(actor: User) -> bool:
    """Whether `actor` may change topics and anything in the catalog (a city administrator)."""
    if not (actor.is_active and actor.is_staff):
        return False
    return actor.staff_roles.filter(role=Role.CITY_ADMIN).exists()


def can_manage_department_services(actor: User, department: Department) -> bool:
    """Whether `actor` may change the services of `department`."""
    if not (actor.is_active and actor.is_staff):
        return False
    return (
        actor.staff_roles.filter(role=Role.CITY_ADMIN).exists()
        or actor.staff_roles.filter(role=Role.DEPARTMENT_ADMIN, department=department).exists()
    )


def ensure_can_manage_catalog(actor: User) -> None:
    """Raise PermissionDenied unless `actor` is a city administrator."""
    if not can_manage_catalog(actor):
        raise PermissionDenied


def ensure_can_manage_department_services(actor: User, department: Department) -> None:
    """Raise PermissionDenied unless `actor` may change the services of `department`."""
    if not can_manage_department_services(actor, department):
        raise PermissionDenied


def departments_managed_by(actor: User) -> QuerySet[Department]:
    """The departments whose services `actor` may change: all for a city administrator."""
    if not (actor.is_active and actor.is_staff):
        return Department.objects.none()
    if can_manage_catalog(actor):
        return Department.objects.all()
    administered = actor.staff_roles.filter(role=Role.DEPARTMENT_ADMIN).values("department_id")
    return Department.objects.filter(id__in=administered)
