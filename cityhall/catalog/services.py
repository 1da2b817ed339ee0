"""State changes of the catalog, one transaction each.

Departments: created by an operator or a city administrator → staff roles and services
refer to them → deleted only while no service or routing rule still points at them.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from cityhall.catalog.models import Department
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput

Actor = AbstractBaseUser | AnonymousUser | None


@transaction.atomic
def create_department(  # noqa: PLR0913 (one argument per field of a department)
    *,
    code: str,
    name_en: str,
    name_fr: str,
    email: str = "",
    phone: str = "",
    actor: Actor,
) -> Department:
    """Create a department and audit it (`catalog.department_created`).

    `actor` None stands for the operator at the command line. Raises Conflict when the code
    is taken and InvalidInput (with field errors) when a value is not valid.
    """
    code = code.strip().lower()
    if Department.objects.filter(code=code).exists():
        raise Conflict(_("A department with this code already exists."))
    department = Department(
        code=code,
        name_en=name_en.strip(),
        name_fr=name_fr.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
    )
    try:
        department.full_clean()
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error
    department.save()
    record_audit_event(actor=actor, action="catalog.department_created", target=department)
    return department


@transaction.atomic
def delete_department(*, department: Department, actor: Actor) -> None:
    """Delete a department and the staff roles held in it; audit it (`catalog.department_deleted`).

    Raises Conflict while services or routing rules still refer to the department.
    """
    data = {"code": department.code}
    target_id = str(department.public_id)
    try:
        department.delete()
    except ProtectedError as error:
        raise Conflict(_("Services still belong to this department.")) from error
    record_audit_event(
        actor=actor, action="catalog.department_deleted", data={**data, "public_id": target_id}
    )
