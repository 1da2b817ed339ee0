"""Template tags of the portal's navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from cityhall.accounts.models import User
from cityhall.integrations.selectors import partners_managed_by
from cityhall.notifications.selectors import unread_count_for_user
from cityhall.servicerequests.access import partner_organisation_ids_for

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


@dataclass(frozen=True)
class PartnerArea:
    """Which partner pages the visitor may open: the work queue, and the webhooks."""

    queue: bool = False
    webhooks: bool = False


@register.simple_tag(takes_context=True)
def partner_area(context: dict[str, Any]) -> PartnerArea:
    """The partner pages for the navigation: the queue for members of an active partner
    organisation, the webhooks for its managers; nothing for anyone else.

    At most two queries per page, and only for a signed-in visitor: the answer is kept on the
    request for the partner area's own navigation further down the page.
    """
    request = context.get("request")
    found = getattr(request, "_partner_area", None)
    if isinstance(found, PartnerArea):
        return found
    user = getattr(request, "user", None)
    if (
        not isinstance(user, User)
        or not user.is_authenticated
        or not partner_organisation_ids_for(user)
    ):
        found = PartnerArea()
    else:
        found = PartnerArea(queue=True, webhooks=partners_managed_by(user).exists())
    if request is not None:
        request._partner_area = found
    return found
