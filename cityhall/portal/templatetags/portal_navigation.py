"""Template tags of the portal's navigation."""

from __future__ import annotations

from typing import Any

from django import template

from cityhall.accounts.models import User
from cityhall.notifications.selectors import unread_count_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context: dict[str, Any]) -> int:
    """How many of the signed-in visitor's inbox notifications are unread (0 for anyone else).

    One query per page, and only for a signed-in visitor.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return 0
    return unread_count_for_user(user)
