"""Summaries for people who chose a daily or weekly digest instead of one email per event."""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.notifications.models import ChannelKind, DigestItem, RecipientSettings, Suppression

logger = logging.getLogger(__name__)

#: How long a worker holds the items of a summary it sends; after that, a worker that died
#: mid-send has its items sent by a later run.
DIGEST_CLAIM = timedelta(minutes=10)


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

    Returns False when nothing was sent: no items, items another worker is sending (each item
    is claimed first, by a conditional UPDATE, so two workers never send the same one), or the
    mail server failed (the items then wait for the next run). A suppressed address drops the
    items without sending.
    """
    user = User.objects.filter(id=user_id, is_active=True).first()
    if user is None:
        return False
    token = uuid.uuid4()
    items = _claim_items(user_id, token=token, now=timezone.now())
    if not items:
        return False
    claimed = DigestItem.objects.filter(recipient_id=user_id, claim_token=token)
    if not Suppression.objects.filter(
        channel=ChannelKind.EMAIL, address=user.email.lower()
    ).exists():
        try:
            _build_digest(user, items).send()
        except (smtplib.SMTPException, OSError):
            logger.warning("Digest for user %s not sent; retrying next run", user_id, exc_info=True)
            claimed.update(claim_token=None)
            return False
    claimed.update(sent_at=timezone.now(), claim_token=None)
    return True


def _claim_items(user_id: int, *, token: uuid.UUID, now: datetime) -> list[DigestItem]:
    """Take the person's waiting items that no live claim holds; returns those taken."""
    # A claim older than DIGEST_CLAIM belongs to a worker that died while sending.
    claimable = Q(claim_token__isnull=True) | Q(updated_at__lt=now - DIGEST_CLAIM)
    waiting = DigestItem.objects.filter(claimable, recipient_id=user_id, sent_at__isnull=True)
    if not waiting.update(claim_token=token, updated_at=now):
        return []
    return list(
        DigestItem.objects.filter(recipient_id=user_id, claim_token=token).select_related(
            "notification"
        )
    )


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
