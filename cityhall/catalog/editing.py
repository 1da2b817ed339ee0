"""Validated writes of catalog rows, shared by the catalog's services and its importer.

These functions check the data, not the actor, and write no audit line: only
`cityhall.catalog.services` calls them, inside its transactions, after its permission checks.
Every data error is raised as InvalidInput with translated messages per field.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from cityhall.catalog.models import (
    Department,
    RoutingRule,
    Service,
    ServiceField,
    ServiceFieldChoice,
    Topic,
)
from cityhall.catalog.specs import ChoiceSpec, FieldSpec, RuleSpec, ServiceDetails
from cityhall.core.errors import InvalidInput

MAX_TERMS = 50
MAX_TERM_LENGTH = 100
TERM_FIELDS = ("keywords_en", "keywords_fr", "synonyms_en", "synonyms_fr")


def invalid_input_from(error: ValidationError, *, prefix: str = "") -> InvalidInput:
    """The InvalidInput for a model's ValidationError, its field names under `prefix`."""
    fields = {
        f"{prefix}{'' if name == NON_FIELD_ERRORS and prefix else name}".rstrip("."): messages
        for name, messages in error.message_dict.items()
    }
    return InvalidInput(fields=fields)


def clean_and_save(instance: models.Model, *, prefix: str = "") -> None:
    """`full_clean()` then `save()`, with validation errors as InvalidInput."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise invalid_input_from(error, prefix=prefix) from None
    instance.save()


def write_topic(*, slug: str, name_en: str, name_fr: str, order: int) -> Topic:
    """Create the topic with this slug, or update its names and order."""
    topic = Topic.objects.filter(slug=slug).first() or Topic(slug=slug)
    topic.name_en, topic.name_fr, topic.order = name_en, name_fr, order
    clean_and_save(topic)
    return topic


def _clean_terms(details: ServiceDetails) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for name in TERM_FIELDS:
        terms = [term.strip() for term in getattr(details, name)]
        if len(terms) > MAX_TERMS:
            errors[name] = [_("Give at most %(count)d terms.") % {"count": MAX_TERMS}]
        elif any(not term or len(term) > MAX_TERM_LENGTH for term in terms):
            errors[name] = [
                _("Each term needs 1 to %(count)d characters.") % {"count": MAX_TERM_LENGTH}
            ]
        cleaned[name] = list(dict.fromkeys(terms))
    if errors:
        raise InvalidInput(fields=errors)
    return cleaned


def write_service(*, service: Service, department: Department, details: ServiceDetails) -> Service:
    """Set `service`'s department and details, validate and save it (creating it if new)."""
    terms = _clean_terms(details)
    service.department = department
    service.topic = details.topic
    for name in (
        "name_en", "name_fr", "description_en", "description_fr", "is_active",
        "accepts_requests", "requires_location", "requires_photo", "allows_anonymous",
        "is_sensitive", "sla_hours", "sla_calendar", "duplicate_radius_m",
        "duplicate_window_hours",
    ):  # fmt: skip
        setattr(service, name, getattr(details, name))
    for name, values in terms.items():
        setattr(service, name, values)
    if service.sla_hours is not None and service.sla_hours <= 0:
        raise InvalidInput(fields={"sla_hours": [_("The target time must be at least 1 hour.")]})
    clean_and_save(service)
    service.districts.set(details.districts)
    return service


def _check_choices(spec: FieldSpec) -> None:
    if spec.is_list and not spec.choices:
        raise InvalidInput(fields={"choices": [_("A choice field needs at least one answer.")]})
    if not spec.is_list and spec.choices:
        raise InvalidInput(
            fields={"choices": [_("Only single and multiple choice fields offer answers.")]}
        )
    keys = [choice.key for choice in spec.choices]
    if len(set(keys)) != len(keys):
        raise InvalidInput(fields={"choices": [_("Each answer needs its own key.")]})


def write_field(*, field: ServiceField, spec: FieldSpec) -> ServiceField:
    """Set `field` from `spec` (its choices too), validate and save it (creating it if new)."""
    _check_choices(spec)
    for name in (
        "code", "datatype", "label_en", "label_fr", "is_required", "help_text_en",
        "help_text_fr", "is_private", "order",
    ):  # fmt: skip
        setattr(field, name, getattr(spec, name))
    clean_and_save(field)
    _write_choices(field=field, choices=spec.choices)
    return field


def _write_choices(*, field: ServiceField, choices: Sequence[ChoiceSpec]) -> None:
    existing = {choice.key: choice for choice in field.choices.all()}
    field.choices.exclude(key__in=[choice.key for choice in choices]).delete()
    for order, spec in enumerate(choices):
        choice = existing.get(spec.key) or ServiceFieldChoice(field=field, key=spec.key)
        choice.name_en, choice.name_fr, choice.order = spec.name_en, spec.name_fr, order
        clean_and_save(choice, prefix=f"choices.{order}.")


def _check_rule(service: Service, position: int, spec: RuleSpec) -> None:
    key = f"rules.{position}"
    if spec.district is None and not spec.field_code:
        raise InvalidInput(fields={key: [_("A rule needs a district, a field or both.")]})
    if not spec.field_code:
        return
    field = service.fields.filter(code=spec.field_code).first()
    if field is None:
        raise InvalidInput(fields={key: [_("This service has no such field.")]})
    if not spec.field_value:
        raise InvalidInput(fields={key: [_("Give the answer that sends requests elsewhere.")]})
    if field.is_list and not field.choices.filter(key=spec.field_value).exists():
        raise InvalidInput(fields={key: [_("This is not one of the field's answers.")]})


def write_rules(*, service: Service, rules: Sequence[RuleSpec]) -> list[RoutingRule]:
    """Replace `service`'s routing rules with `rules`, tried in the given order."""
    for position, spec in enumerate(rules):
        _check_rule(service, position, spec)
    service.routing_rules.all().delete()
    written = []
    for position, spec in enumerate(rules):
        rule = RoutingRule(
            service=service,
            order=position,
            district=spec.district,
            field_code=spec.field_code,
            field_value=spec.field_value,
            department=spec.department,
        )
        clean_and_save(rule, prefix=f"rules.{position}.")
        written.append(rule)
    return written
