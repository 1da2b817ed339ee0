"""The database itself refuses what the services refuse."""

from datetime import timedelta

import pytest
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from cityhall.alerts.models import Alert, AlertText
from cityhall.alerts.tests.alert_factories import AlertFactory, officer

pytestmark = pytest.mark.django_db


def refused(**changes) -> bool:
    alert = AlertFactory()
    try:
        with transaction.atomic():
            Alert.objects.filter(pk=alert.pk).update(**changes)
    except IntegrityError:
        return True
    return False


def test_the_approver_cannot_be_the_drafter() -> None:
    person = officer()
    assert refused(drafted_by=person, approved_by=person)


def test_expiry_must_follow_onset() -> None:
    assert refused(expires=timezone.now() - timedelta(days=1))


def test_a_published_alert_has_an_approver() -> None:
    assert refused(approved_by=None)


def test_an_update_references_an_alert() -> None:
    assert refused(msg_type=Alert.MsgType.UPDATE)


def test_a_short_text_longer_than_360_characters_is_refused() -> None:
    text = AlertFactory().texts.first()
    # PostgreSQL's varchar(360) refuses it first (DataError); SQLite has the check constraint.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        AlertText.objects.filter(pk=text.pk).update(short_text="x" * 361)


def test_a_valid_change_is_accepted() -> None:
    assert not refused(severity=Alert.Severity.MINOR)
