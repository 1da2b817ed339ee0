"""How notifications react to other domains: consent decisions about notification topics.

Connected in `NotificationsConfig.ready`. The privacy signals come after the decision commits.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.notifications.preferences import restore_topic_defaults, stop_topic_for
from cityhall.notifications.purposes import topic_for_purpose
from cityhall.privacy.models import ConsentRecord


def stop_withdrawn_topic(*, user: User, purpose_code: str, **_kwargs: Any) -> None:
    """Consent to a topic withdrawn: nothing of it still queued or held for a summary goes out."""
    topic = topic_for_purpose(purpose_code)
    if topic is not None:
        with transaction.atomic():
            stop_topic_for(user=user, topic=topic)


def resume_given_topic(*, user: User, purpose_code: str, source: str, **_kwargs: Any) -> None:
    """Consent to a topic given elsewhere than on the choices page, where the person had
    switched every channel of it off: its default channels come back, so that the consent
    means messages and the choices page shows the topic ticked."""
    topic = topic_for_purpose(purpose_code)
    if topic is not None and source != ConsentRecord.Source.NOTIFICATION_SETTINGS:
        restore_topic_defaults(user=user, topic=topic)
