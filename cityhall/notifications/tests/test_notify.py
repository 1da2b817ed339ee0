import pytest
from django.core import mail

from cityhall.core.errors import InvalidInput
from cityhall.notifications.models import Delivery, Notification, Preference, Suppression
from cityhall.notifications.tests.factories import TemplateFactory
from cityhall.privacy.services.consents import give_consent

pytestmark = pytest.mark.django_db

CONTEXT = {"name": "Camille", "number": "311-42"}


@pytest.fixture
def send(notify_now):
    """Notify `user` of the default event, with `kwargs` replacing the defaults."""

    def call(user, event_key="request:42:closed", **kwargs):
        arguments = {
            "recipient": user,
            "topic": "my_requests",
            "template": "request-closed",
            "context": CONTEXT,
            "event_key": event_key,
        }
        arguments.update(kwargs)
        return notify_now(**arguments)

    return call


def test_a_request_update_goes_by_email_and_to_the_inbox_by_default(citizen, send):
    TemplateFactory()

    deliveries = send(citizen)

    assert sorted(delivery.channel for delivery in deliveries) == ["email", "in_app"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your request 311-42 is closed"
    assert mail.outbox[0].to == ["camille.citizen@example.org"]
    notification = Notification.objects.get()
    assert notification.in_inbox_at is not None
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent", "delivered"}


def test_the_same_event_twice_sends_one_message(citizen, send):
    TemplateFactory()

    first = send(citizen)
    second = send(citizen)

    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert {delivery.id for delivery in first} == {delivery.id for delivery in second}


def test_different_events_send_one_message_each(citizen, send):
    TemplateFactory()

    send(citizen, event_key="request:42:closed")
    send(citizen, event_key="request:43:closed")

    assert len(mail.outbox) == 2


def test_the_message_is_written_in_the_recipients_language(citizen, send):
    TemplateFactory()
    TemplateFactory(
        language="fr", subject="Demande {{ number }} fermée", body="Bonjour {{ name }}."
    )
    citizen.preferred_language = "fr"
    citizen.save()

    send(citizen)

    assert mail.outbox[0].subject == "Demande 311-42 fermée"
    assert Notification.objects.get().language == "fr"


def test_a_missing_translation_falls_back_to_the_default_language(citizen, send):
    TemplateFactory()
    citizen.preferred_language = "fr"
    citizen.save()

    send(citizen)

    assert mail.outbox[0].subject == "Your request 311-42 is closed"
    assert Notification.objects.get().language == "en"


def test_a_channel_specific_template_wins_over_the_general_one(citizen, send):
    TemplateFactory()
    TemplateFactory(channel="in_app", subject="Closed", body="Request {{ number }} closed.")

    send(citizen)

    assert Notification.objects.get().body == "Request 311-42 closed."
    assert mail.outbox[0].subject == "Your request 311-42 is closed"


def test_a_switched_off_channel_is_not_used(citizen, send):
    TemplateFactory()
    Preference.objects.create(user=citizen, topic="my_requests", channel="email", is_enabled=False)

    deliveries = send(citizen)

    assert [delivery.channel for delivery in deliveries] == ["in_app"]
    assert mail.outbox == []


def test_a_switched_on_channel_is_added_to_the_topics_defaults(citizen, send):
    TemplateFactory(topic="district_news", code="news")
    give_consent(
        actor=citizen,
        user=citizen,
        purpose_code="notifications.district_news",
        language="en",
        source="portal",
    )
    Preference.objects.create(user=citizen, topic="district_news", channel="email", is_enabled=True)

    deliveries = send(citizen, topic="district_news", template="news")

    assert sorted(delivery.channel for delivery in deliveries) == ["email", "in_app"]


def test_texts_need_a_phone_number(citizen, send):
    TemplateFactory(topic="alerts", code="boil-water")

    deliveries = send(citizen, topic="alerts", template="boil-water")

    assert "sms" not in {delivery.channel for delivery in deliveries}


def test_a_suppressed_email_address_gets_nothing(citizen, send):
    TemplateFactory()
    Suppression.objects.create(channel="email", address=citizen.email, reason="hard_bounce")

    deliveries = send(citizen)

    assert [delivery.channel for delivery in deliveries] == ["in_app"]
    assert mail.outbox == []


def test_a_missing_variable_is_refused_and_nothing_is_recorded(citizen, send):
    TemplateFactory()

    with pytest.raises(InvalidInput, match="number"):
        send(citizen, context={"name": "Camille"})

    assert Notification.objects.count() == 0


def test_an_unknown_topic_is_refused(citizen, send):
    TemplateFactory()

    with pytest.raises(InvalidInput):
        send(citizen, topic="gossip")


def test_an_event_without_any_template_is_refused(citizen, send):
    with pytest.raises(InvalidInput, match="No template"):
        send(citizen)
