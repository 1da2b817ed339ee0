"""State changes of the catalog, one transaction each.

Departments: created by an operator or a city administrator → staff roles and services
refer to them → deleted only while no service or routing rule still points at them.

Services: created by a city administrator or their department's administrator, or imported
from a catalog description → form fields, choices and routing rules changed → deactivated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.catalog.catalog_file import RuleEntry, ServiceEntry, read_catalog
from cityhall.catalog.editing import write_field, write_rules, write_service, write_topic
from cityhall.catalog.models import Department, RoutingRule, Service, ServiceField, Topic
from cityhall.catalog.permissions import (
    ensure_can_manage_catalog,
    ensure_can_manage_department_services,
)
from cityhall.catalog.specs import FieldSpec, RuleSpec, ServiceDetails
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput
from cityhall.places.models import District

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


@transaction.atomic
def remove_catalog_entries(
    *, service_codes: Sequence[str], topic_slugs: Sequence[str], actor: Actor
) -> int:
    """Delete these services (with their fields and rules) and then these topics; audited.

    For an operator undoing an import (the demo city's reset); a city's own services are
    deactivated instead, so that their history stays readable. Topics still used by other
    services are kept. Returns how many services were deleted. Raises Conflict when
    something else still refers to one of the services.
    """
    services = Service.objects.filter(code__in=list(service_codes))
    try:
        _total, deleted_per_model = services.delete()
    except ProtectedError as error:
        raise Conflict(_("Something still refers to these services.")) from error
    removed_services = deleted_per_model.get(Service._meta.label, 0)
    Topic.objects.filter(slug__in=list(topic_slugs), services__isnull=True).delete()
    record_audit_event(
        actor=actor,
        action="catalog.entries_removed",
        data={"services": list(service_codes), "topics": list(topic_slugs)},
    )
    return removed_services


@transaction.atomic
def save_topic(*, slug: str, name_en: str, name_fr: str, order: int = 0, actor: User) -> Topic:
    """Create the topic with this slug or update its names and order; audited.

    Only a city administrator may; raises PermissionDenied otherwise, InvalidInput for bad data.
    """
    ensure_can_manage_catalog(actor)
    topic = write_topic(slug=slug, name_en=name_en, name_fr=name_fr, order=order)
    record_audit_event(actor=actor, action="catalog.topic_saved", target=topic)
    return topic


@transaction.atomic
def create_service(
    *, code: str, department: Department, details: ServiceDetails, actor: User
) -> Service:
    """Add a service to `department`'s catalog; audited (`catalog.service_created`).

    Raises PermissionDenied unless `actor` is a city administrator or administers
    `department`, Conflict when the code is taken, InvalidInput for bad details.
    """
    ensure_can_manage_department_services(actor, department)
    if Service.objects.filter(code=code).exists():
        raise Conflict(_("A service with this code already exists."))
    service = write_service(service=Service(code=code), department=department, details=details)
    record_audit_event(actor=actor, action="catalog.service_created", target=service)
    return service


@transaction.atomic
def update_service(
    *, service: Service, department: Department, details: ServiceDetails, actor: User
) -> Service:
    """Replace a service's department and details; audited (`catalog.service_updated`).

    Moving a service needs the right to manage both departments' services.
    """
    ensure_can_manage_department_services(actor, service.department)
    ensure_can_manage_department_services(actor, department)
    write_service(service=service, department=department, details=details)
    record_audit_event(actor=actor, action="catalog.service_updated", target=service)
    return service


@transaction.atomic
def deactivate_service(*, service: Service, actor: User) -> Service:
    """Take a service out of the catalog and close it to new requests; audited.

    Existing requests keep referring to it. Deactivating twice changes nothing more.
    """
    ensure_can_manage_department_services(actor, service.department)
    service.is_active = False
    service.accepts_requests = False
    service.save(update_fields=["is_active", "accepts_requests", "updated_at"])
    record_audit_event(actor=actor, action="catalog.service_deactivated", target=service)
    return service


@transaction.atomic
def add_service_field(*, service: Service, spec: FieldSpec, actor: User) -> ServiceField:
    """Add an extra question (with its choices) to a service's form; audited.

    Raises Conflict when the service already has a field with this code.
    """
    ensure_can_manage_department_services(actor, service.department)
    if service.fields.filter(code=spec.code).exists():
        raise Conflict(_("This form already has a field with this code."))
    field = write_field(field=ServiceField(service=service), spec=spec)
    _touch(service)
    record_audit_event(
        actor=actor, action="catalog.service_field_added", target=service, data={"field": spec.code}
    )
    return field


@transaction.atomic
def update_service_field(*, field: ServiceField, spec: FieldSpec, actor: User) -> ServiceField:
    """Replace a field's definition and choices (matched by key); audited.

    Raises Conflict when renaming a field that a routing rule still uses.
    """
    service = field.service
    ensure_can_manage_department_services(actor, service.department)
    if spec.code != field.code:
        _ensure_no_rule_uses(field)
    write_field(field=field, spec=spec)
    _touch(service)
    record_audit_event(
        actor=actor,
        action="catalog.service_field_updated",
        target=service,
        data={"field": spec.code},
    )
    return field


@transaction.atomic
def remove_service_field(*, field: ServiceField, actor: User) -> None:
    """Remove a question from a service's form; audited.

    Raises Conflict while a routing rule uses the field.
    """
    service = field.service
    ensure_can_manage_department_services(actor, service.department)
    _ensure_no_rule_uses(field)
    code = field.code
    field.delete()
    _touch(service)
    record_audit_event(
        actor=actor, action="catalog.service_field_removed", target=service, data={"field": code}
    )


@transaction.atomic
def set_routing_rules(
    *, service: Service, rules: Sequence[RuleSpec], actor: User
) -> list[RoutingRule]:
    """Replace a service's routing rules, tried in the given order; audited.

    A rule names a district, a field of the service with one of its answers, or both.
    """
    ensure_can_manage_department_services(actor, service.department)
    written = write_rules(service=service, rules=rules)
    _touch(service)
    record_audit_event(
        actor=actor, action="catalog.routing_rules_set", target=service, data={"rules": len(rules)}
    )
    return written


def _ensure_no_rule_uses(field: ServiceField) -> None:
    if field.service.routing_rules.filter(field_code=field.code).exists():
        raise Conflict(_("A routing rule uses this field."))


def _touch(service: Service) -> None:
    # A form or rule change is a change of the service for caches and API clients.
    service.save(update_fields=["updated_at"])


@dataclass(frozen=True)
class CatalogImport:
    """How many topics and services an import wrote."""

    topics: int
    services: int


@transaction.atomic
def import_catalog(*, source: Mapping[str, Any] | TextIO, actor: User | None) -> CatalogImport:
    """Create or update topics and services from a catalog description (see catalog_file).

    Idempotent: rows are matched by slug and code. A service's fields, choices and rules
    become exactly those described; services and topics not described are left alone.
    `actor` None stands for the operator at the command line; a user must be a city
    administrator (PermissionDenied otherwise). A bad description raises InvalidInput
    naming the place and writes nothing.
    """
    if actor is not None:
        ensure_can_manage_catalog(actor)
    description = read_catalog(source)
    for topic_entry in description.topics:
        write_topic(
            slug=topic_entry.slug,
            name_en=topic_entry.name_en,
            name_fr=topic_entry.name_fr,
            order=topic_entry.order,
        )
    for position, service_entry in enumerate(description.services):
        try:
            _import_service(service_entry)
        except InvalidInput as error:
            raise _nested(error, f"services.{position}") from error
    summary = CatalogImport(topics=len(description.topics), services=len(description.services))
    record_audit_event(
        actor=actor,
        action="catalog.catalog_imported",
        data={"topics": summary.topics, "services": summary.services},
    )
    return summary


def _import_service(entry: ServiceEntry) -> None:
    department = Department.objects.filter(code=entry.department).first()
    if department is None:
        raise InvalidInput(fields={"department": [_("No department has this code.")]})
    topic = Topic.objects.filter(slug=entry.topic).first() if entry.topic else None
    if entry.topic and topic is None:
        raise InvalidInput(fields={"topic": [_("No topic has this slug.")]})
    details = ServiceDetails(
        **entry.details, topic=topic, districts=tuple(_districts(entry.districts, "districts"))
    )
    service = Service.objects.filter(code=entry.code).first() or Service(code=entry.code)
    write_service(service=service, department=department, details=details)
    service.fields.exclude(code__in=[spec.code for spec in entry.fields]).delete()
    existing = {field.code: field for field in service.fields.all()}
    for position, spec in enumerate(entry.fields):
        field = existing.get(spec.code) or ServiceField(service=service)
        try:
            write_field(field=field, spec=spec)
        except InvalidInput as error:
            raise _nested(error, f"fields.{position}") from error
    write_rules(service=service, rules=[_rule_spec(rule) for rule in entry.rules])


def _districts(codes: Sequence[str], key: str) -> list[District]:
    districts = list(District.objects.filter(code__in=codes))
    if len(districts) != len(set(codes)):
        raise InvalidInput(fields={key: [_("No district has this code.")]})
    return districts


def _rule_spec(rule: RuleEntry) -> RuleSpec:
    department = Department.objects.filter(code=rule.department).first()
    if department is None:
        raise InvalidInput(fields={"routing": [_("No department has this code.")]})
    district = _districts([rule.district], "routing")[0] if rule.district else None
    return RuleSpec(department=department, district=district, field_code=rule.field_code,
                    field_value=rule.field_value)  # fmt: skip


def _nested(error: InvalidInput, prefix: str) -> InvalidInput:
    return InvalidInput(fields={f"{prefix}.{key}": value for key, value in error.fields.items()})
