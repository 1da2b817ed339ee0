"""Emails the accounts domain sends, rendered in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from cityhall.accounts.models import User


def send_account_email(
    *,
    user: User,
    template: str,
    context: dict[str, Any] | None = None,
    folder: str = "accounts/email",
) -> None:
    """Render `<folder>/<template>_{subject,body}.txt` and send it to the account's address.

    Other domains that write to a person about their account (privacy) pass their own folder.

    The message is rendered in the user's preferred language. Raises whatever the email backend
    raises (SMTPException, OSError) so that the calling task can retry.
    """
    full_context = {
        "user": user,
        "city_name": settings.CITYHALL_CITY_NAME,
        "base_url": settings.CITYHALL_BASE_URL,
    }
    full_context.update(context or {})
    with translation.override(user.preferred_language):
        subject = render_to_string(f"{folder}/{template}_subject.txt", full_context).strip()
        body = render_to_string(f"{folder}/{template}_body.txt", full_context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[user.email])
    message.send()
