"""Form fields that name database rows by their public UUID.

Integer primary keys never leave the database: a `<select>` of rows written with Django's own
`ModelChoiceField` puts them in every option's value (`partner=2`), which tells a visitor how
many rows exist and invites guessing. These fields write and read `public_id` instead; a test
in `core/tests/test_architecture.py` keeps every form on them.
"""

from __future__ import annotations

from typing import Any

from django import forms


class PublicIdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # rows of any model
    """A choice of one row of `queryset`, named by its `public_id` in the page and the post."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "public_id")
        super().__init__(queryset, **kwargs)


class PublicIdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # rows of any model
    """A choice of several rows of `queryset`, named by their `public_id`."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "public_id")
        super().__init__(queryset, **kwargs)
