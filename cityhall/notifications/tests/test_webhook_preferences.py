"""Webhook is a channel on the preferences page only for members of a partner organisation
whose system receives its members' notifications; citizens never get the column."""

from __future__ import annotations

import pytest

from cityhall.accounts.tests.factories import PartnerMembershipFactory
from cityhall.integrations.models import WebhookSubscription
from cityhall.integrations.tests.factories import WebhookSubscriptionFactory
from cityhall.notifications.models import Preference, RecipientSettings
from cityhall.notifications.preferences import NotificationChoices, save_notification_choices
from cityhall.notifications.services import channels_for

CHOICES = "/en/notifications/choices/"


@pytest.fixture
def member(db):
    membership = PartnerMembershipFactory()
    WebhookSubscriptionFactory(partner=membership.organisation, events=["notification.sent"])
    return membership.user


def _enabled(user):
    return set(
        Preference.objects.filter(user=user, is_enabled=True).values_list("topic", "channel")
    )


def test_a_citizen_is_not_offered_the_webhook_channel(client, citizen):
    client.force_login(citizen)

    response = client.get(CHOICES)

    assert "webhook" not in [value for value, _label in response.context["channels"]]
    assert "alerts__webhook" not in response.content.decode()


def test_a_member_whose_organisation_has_no_notification_webhook_is_not_offered_it(client, db):
    membership = PartnerMembershipFactory()
    WebhookSubscriptionFactory(partner=membership.organisation)  # request events only
    client.force_login(membership.user)

    response = client.get(CHOICES)

    assert "webhook" not in [value for value, _label in response.context["channels"]]


def test_a_member_chooses_the_webhook_for_a_topic_and_sees_it_chosen(client, member):
    client.force_login(member)

    saved = client.post(CHOICES, {"alerts__webhook": "on", "digest_frequency": "none"})
    page = client.get(CHOICES)

    assert saved.status_code == 302
    assert _enabled(member) == {("alerts", "webhook")}
    assert page.context["form"]["alerts__webhook"].value() is True
    assert page.context["form"]["my_requests__webhook"].value() is not True
    user_settings = RecipientSettings.objects.get(user=member)
    assert channels_for(user=member, topic="alerts", user_settings=user_settings) == ["webhook"]


def test_a_webhook_choice_for_a_citizen_is_ignored(citizen):
    choices = NotificationChoices(enabled=frozenset({("alerts", "webhook"), ("alerts", "email")}))

    save_notification_choices(actor=citizen, user=citizen, choices=choices)

    assert _enabled(citizen) == {("alerts", "email")}
    assert not Preference.objects.filter(user=citizen, channel="webhook").exists()


def test_a_member_whose_webhook_was_disabled_gets_nothing_on_that_channel(member):
    Preference.objects.create(user=member, topic="alerts", channel="webhook", is_enabled=True)
    member_settings = RecipientSettings.objects.create(user=member)
    WebhookSubscription.objects.filter(partner__memberships__user=member).update(is_active=False)

    assert "webhook" not in channels_for(user=member, topic="alerts", user_settings=member_settings)
