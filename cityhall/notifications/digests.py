"""Summaries for people who chose a daily or weekly digest instead of one email per event."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.notifications.models import ChannelKind, DigestItem, RecipientSettings, Suppression

logger = logging.getLogger(__name__)


def pending_digest_recipient_ids(*, frequency: str) -> list[int]:
    """Ids of people on `frequency` who have digest items waiting."""
    user_ids = RecipientSettings.objects.filter(digest_frequency=frequency).values("user_id")
    return list(
        DigestItem.objects.filter(recipient_id__in=user_ids, sent_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def send_digest(*, user_id: int) -> bool:
    """Email the person one summary of their waiting items and mark them sent.

    Returns False when nothing was sent: no items, or the mail server failed (the items then
    wait for the next run). A suppressed address drops the items without sending.
    """
    user = User.objects.filter(id=user_id, is_active=True).first()
    items = list(
        DigestItem.objects.filter(recipient_id=user_id, sent_at__isnull=True).select_related(
            "notification"
        )
    )
    if user is None or not items:
        return False
    if not Suppression.objects.filter(
        channel=ChannelKind.EMAIL, address=user.email.lower()
    ).exists():
        try:
            _build_digest(user, items).send()
        except (smtplib.SMTPException, OSError):
            logger.warning("Digest for user %s not sent; retrying next run", user_id, exc_info=True)
            return False
    DigestItem.objects.filter(id__in=[item.id for item in items]).update(sent_at=timezone.now())
    return True


def _build_digest(user: User, items: list[DigestItem]) -> EmailMultiAlternatives:
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "notifications": [item.notification for item in items],
            "city_name": settings.CITYHALL_CITY_NAME,
            "preferences_url": settings.CITYHALL_BASE_URL.rstrip("/")
            + reverse("portal:notification_preferences"),
        }
        subject = _("Your summary from %(city)s") % {"city": settings.CITYHALL_CITY_NAME}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
