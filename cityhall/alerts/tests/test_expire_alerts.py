from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.alerts.expiry_tasks import expire_ended_alerts
from cityhall.alerts.models import Alert
from cityhall.alerts.services import expire_alerts
from cityhall.alerts.tests.alert_factories import AlertFactory

pytestmark = pytest.mark.django_db


def test_published_alerts_past_their_expiry_are_marked_expired() -> None:
    now = timezone.now()
    over = AlertFactory(onset=now - timedelta(hours=3), expires=now - timedelta(minutes=1))
    running = AlertFactory(onset=now - timedelta(hours=3), expires=now + timedelta(minutes=1))
    draft = AlertFactory(
        onset=now - timedelta(hours=3),
        expires=now - timedelta(minutes=1),
        state=Alert.State.DRAFT,
        approved_by=None,
        published_at=None,
    )
    assert expire_alerts(now=now) == 1
    for alert in (over, running, draft):
        alert.refresh_from_db()
    assert over.state == Alert.State.EXPIRED
    assert over.ended_at == now
    assert running.state == Alert.State.PUBLISHED
    assert draft.state == Alert.State.DRAFT
    assert expire_alerts(now=now) == 0


def test_the_scheduled_job_expires_what_is_due() -> None:
    now = timezone.now()
    over = AlertFactory(onset=now - timedelta(hours=3), expires=now - timedelta(minutes=1))
    assert expire_ended_alerts.call() == 1
    over.refresh_from_db()
    assert over.state == Alert.State.EXPIRED
