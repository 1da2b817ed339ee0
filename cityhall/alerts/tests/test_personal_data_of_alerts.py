"""Alerts in the personal-data register: a person's places are exported and erased, officers'
alerts stay as public records naming no one, and never-confirmed subscriptions expire."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import UserFactory
from cityhall.alerts.models import Alert, AlertSubscriber
from cityhall.alerts.retention import delete_unconfirmed_subscriptions
from cityhall.alerts.tests.alert_factories import AlertFactory
from cityhall.alerts.tests.factories import AlertSubscriberFactory
from cityhall.privacy.erasure import erase_person
from cityhall.privacy.registry import all_sources

pytestmark = pytest.mark.django_db


def source(code):
    return next(source for source in all_sources() if source.code == code)


def home_of(user):
    return AlertSubscriberFactory(
        user=user, email="", channel=AlertSubscriber.Channel.ACCOUNT, kind="home"
    )


def test_a_person_exports_their_places_and_those_under_their_proved_email():
    resident = UserFactory(email="resident@example.org")
    home = home_of(resident)
    by_email = AlertSubscriberFactory(email="Resident@example.org", postal_code="H2X 1Y4")
    AlertSubscriberFactory(email="someone.else@example.org")

    (table,) = source("alerts.subscriptions").export(resident)

    assert source("alerts.subscriptions").count(resident) == 2
    assert {row["public_id"] for row in table.rows} == {
        str(home.public_id),
        str(by_email.public_id),
    }
    assert {row["email"] for row in table.rows} == {"", "Resident@example.org"}


def test_an_unproved_email_finds_no_subscription_made_without_an_account():
    resident = UserFactory(email="resident@example.org", email_verified_at=None)
    AlertSubscriberFactory(email="resident@example.org")

    assert source("alerts.subscriptions").count(resident) == 0


def test_erasing_a_person_deletes_their_places_and_no_one_elses():
    resident = UserFactory(email="resident@example.org")
    home_of(resident)
    AlertSubscriberFactory(email="resident@example.org")
    other = AlertSubscriberFactory(email="someone.else@example.org")

    erased = source("alerts.subscriptions").erase(resident)

    assert erased.deleted == 2
    assert list(AlertSubscriber.objects.all()) == [other]


def test_an_officer_exports_the_alerts_they_drafted_and_approved():
    drafter, approver = UserFactory(), UserFactory()
    alert = AlertFactory(drafted_by=drafter, approved_by=approver)

    (table,) = source("alerts.authored").export(approver)

    assert [(row["identifier"], row["drafted"], row["approved"]) for row in table.rows] == [
        (alert.identifier, False, True)
    ]


def test_erasing_an_officer_keeps_their_alerts_naming_no_one():
    drafter = UserFactory(email="officer@example.org", full_name="Dana Officer")
    alert = AlertFactory(drafted_by=drafter)

    erase_person(drafter)

    kept = Alert.objects.select_related("drafted_by").get(pk=alert.pk)
    assert kept.texts.count() == 2
    assert kept.drafted_by.email.endswith("@erased.invalid")
    assert kept.drafted_by.full_name == ""


def test_subscriptions_never_confirmed_are_deleted_once_old():
    cutoff = timezone.now() - timedelta(days=30)
    old = AlertSubscriberFactory(confirmed_at=None)
    AlertSubscriber.objects.filter(pk=old.pk).update(created_at=cutoff - timedelta(days=1))
    recent = AlertSubscriberFactory(confirmed_at=None)
    confirmed = AlertSubscriberFactory()
    AlertSubscriber.objects.filter(pk=confirmed.pk).update(created_at=cutoff - timedelta(days=1))

    assert delete_unconfirmed_subscriptions(cutoff, dry_run=True) == 1
    assert delete_unconfirmed_subscriptions(cutoff, dry_run=False) == 1

    assert set(AlertSubscriber.objects.all()) == {recent, confirmed}
