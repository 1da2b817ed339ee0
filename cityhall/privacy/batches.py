"""Set-based writes over many rows, one range of ids at a time, for the retention rules.

Each statement covers at most BATCH_IDS consecutive ids, in its own short transaction, so
that a rule touching a million rows neither loads them into Python nor holds locks on all of
them at once. The condition is repeated in every statement: a row that another run changed
meanwhile no longer matches, so two runs at once do each row once and a second run does
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Min

#: Ids covered by one statement. A range of ids is read from the primary key's index, however
#: sparse the matching rows are within it.
BATCH_IDS = 10_000


def update_in_batches(queryset: models.QuerySet[Any], *, dry_run: bool, **values: Any) -> int:
    """Set `values` on the rows of `queryset`; returns how many (would) change.

    `queryset` must exclude rows that already hold `values`, so that a rerun counts nothing.
    """
    if dry_run:
        return queryset.count()
    changed = 0
    for batch in _batches(queryset):
        with transaction.atomic(using=queryset.db):
            changed += batch.update(**values)
    return changed


def delete_in_batches(queryset: models.QuerySet[Any], *, dry_run: bool) -> int:
    """Delete the rows of `queryset` and what depends on them; returns how many rows of
    `queryset`'s model (would) go.

    Dependent rows follow each relation's `on_delete` as Django's own delete would (CASCADE
    deletes them, SET_NULL empties the link), with one statement per relation and batch; a
    row that a PROTECT relation points at is kept, and any other relation (RESTRICT,
    SET_DEFAULT) stops the rule rather than be ignored. Model signals are not sent (as with
    any bulk write).
    """
    if dry_run:
        return _without_protected(queryset, _reverse_keys(queryset.model)).count()
    deleted = 0
    for batch in _batches(queryset):
        with transaction.atomic(using=queryset.db):
            deleted += _delete_with_dependents(batch)
    return deleted


def _batches(queryset: models.QuerySet[Any]) -> Iterator[models.QuerySet[Any]]:
    if not isinstance(queryset.model._meta.pk, models.AutoField | models.BigAutoField):
        yield from _batches_by_key(queryset)
        return
    bounds = queryset.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    if low is None or high is None:
        return
    for start in range(low, high + 1, BATCH_IDS):
        yield queryset.filter(pk__gte=start, pk__lt=start + BATCH_IDS)


def _batches_by_key(queryset: models.QuerySet[Any]) -> Iterator[models.QuerySet[Any]]:
    # Keys that are not counters (a session's) cannot be cut into ranges up front: take the
    # next BATCH_IDS keys in order, each time after the last one taken.
    last = None
    while True:
        remaining = queryset if last is None else queryset.filter(pk__gt=last)
        keys = list(remaining.order_by("pk").values_list("pk", flat=True)[:BATCH_IDS])
        if not keys:
            return
        last = keys[-1]
        yield queryset.filter(pk__in=keys)


def _reverse_keys(model: type[models.Model]) -> list[Any]:
    """The reverse side of every foreign key and one-to-one pointing at `model`, including the
    hidden ones of many-to-many tables (the relations Django's collector walks)."""
    return [
        relation.field
        for relation in model._meta.get_fields(include_hidden=True)
        if isinstance(relation, models.ForeignObjectRel)
        and relation.auto_created
        and (relation.one_to_many or relation.one_to_one)
    ]


def _without_protected(
    queryset: models.QuerySet[Any], reverse_keys: list[Any]
) -> models.QuerySet[Any]:
    # A row that a protecting key still points at (an alert's drafter, say) is kept until
    # nothing protects it.
    for field in reverse_keys:
        if field.remote_field.on_delete is models.PROTECT:
            protected = field.model._base_manager.filter(**{f"{field.name}__isnull": False})
            queryset = queryset.exclude(pk__in=protected.values(field.name))
    return queryset


def _delete_with_dependents(queryset: models.QuerySet[Any]) -> int:
    reverse_keys = _reverse_keys(queryset.model)
    queryset = _without_protected(queryset, reverse_keys)
    for field in reverse_keys:
        dependents = field.model._base_manager.filter(
            **{f"{field.name}__in": queryset.values("pk")}
        )
        on_delete = field.remote_field.on_delete
        if on_delete is models.CASCADE:
            _delete_with_dependents(dependents)
        elif on_delete is models.SET_NULL:
            dependents.update(**{field.name: None})
        elif on_delete not in (models.DO_NOTHING, models.PROTECT):
            raise ValueError(
                f"{field.model.__name__}.{field.name} keeps {queryset.model.__name__} rows: "
                "a retention rule cannot delete them"
            )
    return queryset._raw_delete(queryset.db)
