"""Topics sent only with consent: `notify`, the choices page and unsubscribing follow the ledger."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cityhall.notifications.models import (
    Delivery,
    DigestItem,
    Notification,
    Preference,
    Topic,
)
from cityhall.notifications.preferences import (
    NotificationChoices,
    save_notification_choices,
    unsubscribe_with_token,
)
from cityhall.notifications.purposes import TOPIC_PURPOSES, consent_topics
from cityhall.notifications.selectors import preference_grid_for_user
from cityhall.notifications.tests.factories import RecipientSettingsFactory, TemplateFactory
from cityhall.notifications.unsubscribe_links import make_unsubscribe_token
from cityhall.privacy.consents import has_consent
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import purpose
from cityhall.privacy.services.consents import give_consent, withdraw_consent

pytestmark = pytest.mark.django_db

NEWS = "notifications.district_news"


@pytest.fixture
def news(notify_now):
    """Tell `user` a piece of district news (a new event each call)."""
    TemplateFactory(topic=Topic.DISTRICT_NEWS, code="district-news")
    count = iter(range(100))

    def call(user):
        return notify_now(
            recipient=user,
            topic=Topic.DISTRICT_NEWS,
            template="district-news",
            context={"name": "Camille", "number": "1"},
            event_key=f"news:{next(count)}",
        )

    return call


def _decide(decide, user, code=NEWS, source="portal"):
    return decide(actor=user, user=user, purpose_code=code, language="en", source=source)


def _sources(user):
    return list(
        ConsentRecord.objects.filter(user=user)
        .order_by("id")
        .values_list("purpose", "is_given", "source")
    )


def test_every_topic_declares_why_it_may_be_sent():
    assert set(TOPIC_PURPOSES) == set(Topic.values)
    assert consent_topics() == [Topic.DISTRICT_NEWS, Topic.CONSULTATIONS]
    for topic in (Topic.MY_REQUESTS, Topic.APPOINTMENTS, Topic.ALERTS, Topic.REMINDERS):
        assert not purpose(TOPIC_PURPOSES[topic]).needs_consent


def test_a_consent_topic_is_not_sent_to_a_person_who_has_not_given_consent(citizen, news):
    assert news(citizen) == []

    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_a_consent_topic_is_sent_once_consent_is_given(citizen, news):
    _decide(give_consent, citizen)

    deliveries = news(citizen)

    assert [delivery.channel for delivery in deliveries] == ["in_app"]


def test_withdrawn_consent_stops_a_consent_topic_from_being_sent(citizen, news):
    _decide(give_consent, citizen)
    _decide(withdraw_consent, citizen)

    assert news(citizen) == []
    assert not Notification.objects.exists()


def test_withdrawn_consent_cancels_messages_still_held_for_quiet_hours_or_a_summary(
    citizen, news, django_capture_on_commit_callbacks
):
    now = timezone.localtime()
    RecipientSettingsFactory(
        user=citizen,
        quiet_hours_start=(now - dt.timedelta(hours=1)).time(),
        quiet_hours_end=(now + dt.timedelta(hours=1)).time(),
        digest_frequency="daily",
    )
    _decide(give_consent, citizen)
    Preference.objects.create(user=citizen, topic="district_news", channel="sms", is_enabled=True)
    Preference.objects.create(user=citizen, topic="district_news", channel="email", is_enabled=True)
    news(citizen)
    assert Delivery.objects.get(channel="sms").status == Delivery.Status.QUEUED
    assert DigestItem.objects.filter(sent_at__isnull=True).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        _decide(withdraw_consent, citizen)

    held = Delivery.objects.get(channel="sms")
    assert held.status == Delivery.Status.FAILED
    assert held.is_permanent_failure
    assert not DigestItem.objects.exists()
    assert Delivery.objects.get(channel="in_app").status == Delivery.Status.DELIVERED


def test_topics_of_a_public_task_need_no_consent(citizen, notify_now):
    TemplateFactory()

    deliveries = notify_now(
        recipient=citizen,
        topic=Topic.MY_REQUESTS,
        template="request-closed",
        context={"name": "Camille", "number": "311-42"},
        event_key="request:42:closed",
    )

    assert {delivery.channel for delivery in deliveries} == {"email", "in_app"}
    assert len(mail.outbox) == 1


def test_ticking_a_consent_topic_on_the_choices_gives_consent_and_unticking_withdraws_it(citizen):
    save_notification_choices(
        actor=citizen,
        user=citizen,
        choices=NotificationChoices(enabled=frozenset({("district_news", "email")})),
        language="fr",
    )
    assert has_consent(citizen, NEWS)
    record = ConsentRecord.objects.get()
    assert (record.source, record.language) == ("notification_settings", "fr")

    save_notification_choices(
        actor=citizen, user=citizen, choices=NotificationChoices(enabled=frozenset())
    )

    assert not has_consent(citizen, NEWS)
    assert _sources(citizen) == [
        (NEWS, True, "notification_settings"),
        (NEWS, False, "notification_settings"),
    ]


def test_saving_the_choices_unchanged_adds_nothing_to_the_ledger(citizen):
    choices = NotificationChoices(enabled=frozenset({("alerts", "email")}))

    save_notification_choices(actor=citizen, user=citizen, choices=choices)
    save_notification_choices(actor=citizen, user=citizen, choices=choices)

    assert not ConsentRecord.objects.exists()


def test_the_choices_grid_shows_a_consent_topic_unticked_until_consent_is_given(citizen):
    def ticked(topic):
        rows = dict(preference_grid_for_user(citizen))
        return {cell.channel for cell in rows[str(Topic(topic).label)] if cell.is_enabled}

    assert ticked(Topic.DISTRICT_NEWS) == set()

    _decide(give_consent, citizen)

    assert ticked(Topic.DISTRICT_NEWS) == {"in_app"}


def test_unsubscribing_from_the_last_channel_of_a_consent_topic_withdraws_consent(citizen):
    _decide(give_consent, citizen)
    token = make_unsubscribe_token(user=citizen, topic="district_news", channel="in_app")

    unsubscribe_with_token(token=token)

    assert not has_consent(citizen, NEWS)
    assert _sources(citizen)[-1] == (NEWS, False, "unsubscribe_link")


def test_unsubscribing_from_one_of_two_channels_keeps_the_consent(citizen):
    _decide(give_consent, citizen)
    Preference.objects.create(user=citizen, topic="district_news", channel="email", is_enabled=True)
    token = make_unsubscribe_token(user=citizen, topic="district_news", channel="email")

    unsubscribe_with_token(token=token)

    assert has_consent(citizen, NEWS)
    assert len(_sources(citizen)) == 1


def test_consent_given_on_the_privacy_page_brings_back_a_topic_switched_off_everywhere(
    citizen, django_capture_on_commit_callbacks
):
    save_notification_choices(
        actor=citizen, user=citizen, choices=NotificationChoices(enabled=frozenset())
    )

    with django_capture_on_commit_callbacks(execute=True):
        _decide(give_consent, citizen)

    assert not Preference.objects.filter(user=citizen, topic="district_news").exists()
    rows = dict(preference_grid_for_user(citizen))
    news_cells = rows[str(Topic.DISTRICT_NEWS.label)]
    assert {cell.channel for cell in news_cells if cell.is_enabled} == {"in_app"}
