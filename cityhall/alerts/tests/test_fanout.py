"""A published alert reaches the subscribers in its area once each, in their language."""

from __future__ import annotations

import pytest
from django.core import mail

from cityhall.accounts.tests.factories import UserFactory
from cityhall.alerts.fanout import fan_out_alert, fan_out_batch, fan_out_figures
from cityhall.alerts.models import Alert
from cityhall.alerts.tests.alert_factories import AlertFactory
from cityhall.alerts.tests.factories import AlertSubscriberFactory
from cityhall.notifications.models import Delivery, Notification
from cityhall.notifications.tests.fixtures import immediate_notification_tasks

pytestmark = pytest.mark.django_db

__all__ = ["immediate_notification_tasks"]

INSIDE = {"latitude": 45.51, "longitude": -73.59}
OUTSIDE = {"latitude": 45.60, "longitude": -73.40}
WEB = "https://city.example/flood"


@pytest.fixture(autouse=True)
def _inline_tasks(immediate_notification_tasks):
    return None


def publish(**fields) -> Alert:
    alert: Alert = AlertFactory(web=WEB, **fields)
    return alert


def test_only_subscribers_inside_are_emailed_each_in_their_language(
    django_capture_on_commit_callbacks,
):
    AlertSubscriberFactory(email="inside@example.org", language="fr", **INSIDE)
    AlertSubscriberFactory(email="outside@example.org", **OUTSIDE)
    alert = publish()

    with django_capture_on_commit_callbacks(execute=True):
        found = fan_out_alert.call(alert.id)

    assert found == 1
    [message] = mail.outbox
    assert message.to == ["inside@example.org"]
    assert message.subject == "Inondation le long de la rivière"
    assert WEB in message.body
    assert "/alerts/subscribe/stop/" in message.extra_headers["List-Unsubscribe"]


def test_a_resident_with_home_and_work_inside_gets_one_message_per_channel(
    django_capture_on_commit_callbacks,
):
    resident = UserFactory()
    home = AlertSubscriberFactory(user=resident, kind="home", channel="", email="", **INSIDE)
    work = AlertSubscriberFactory(
        user=resident, kind="work", channel="", email="", latitude=45.515, longitude=-73.585
    )
    alert = publish()

    with django_capture_on_commit_callbacks(execute=True):
        fan_out_batch.call(alert.id, [home.id])
        fan_out_batch.call(alert.id, [work.id, home.id])  # a retried, overlapping batch

    assert Notification.objects.filter(recipient=resident).count() == 1
    assert [m.to for m in mail.outbox] == [[resident.email]]
    assert fan_out_figures(alert)["email"] == {"queued": 0, "sent": 1, "failed": 0}


def test_the_same_email_subscribed_for_two_places_inside_gets_one_message(
    django_capture_on_commit_callbacks,
):
    AlertSubscriberFactory(email="twice@example.org", **INSIDE)
    AlertSubscriberFactory(email="Twice@example.org", latitude=45.515, longitude=-73.585)
    alert = publish()

    with django_capture_on_commit_callbacks(execute=True):
        fan_out_alert.call(alert.id)

    assert len(mail.outbox) == 1


def test_an_exercise_reaches_only_test_recipients(django_capture_on_commit_callbacks):
    AlertSubscriberFactory(email="tester@example.org", is_test_recipient=True, **INSIDE)
    AlertSubscriberFactory(email="resident@example.org", **INSIDE)
    alert = publish(status=Alert.Status.EXERCISE)

    with django_capture_on_commit_callbacks(execute=True):
        fan_out_alert.call(alert.id)

    assert [m.to for m in mail.outbox] == [["tester@example.org"]]


def test_a_draft_alert_is_not_fanned_out():
    AlertSubscriberFactory(**INSIDE)
    alert = publish(state=Alert.State.DRAFT)

    assert fan_out_alert.call(alert.id) == 0
    assert not Delivery.objects.exists()
