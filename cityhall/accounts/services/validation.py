"""Checks shared by the account services."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from cityhall.accounts.models import User
from cityhall.core.errors import InvalidInput


def normalise_email(email: str) -> str:
    """Addresses are compared and stored trimmed and in lower case."""
    return email.strip().lower()


def check_new_password(*, password: str, user: User, field: str = "password") -> None:
    """Run the configured password validators; raise InvalidInput naming `field`."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise InvalidInput(fields={field: list(error.messages)}) from error
