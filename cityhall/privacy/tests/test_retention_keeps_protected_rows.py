"""A retention rule deletes what it names, except rows a protecting key still points at."""

import pytest

from cityhall.accounts.models import User
from cityhall.accounts.tests.factories import UserFactory
from cityhall.alerts.tests.alert_factories import AlertFactory
from cityhall.privacy.batches import delete_in_batches

pytestmark = pytest.mark.django_db


def test_an_account_that_drafted_an_alert_is_kept_and_the_others_go():
    drafter = UserFactory(email="drafter@example.org")
    UserFactory(email="idle@example.org")
    AlertFactory(drafted_by=drafter)
    doomed = User.objects.filter(email__in=["drafter@example.org", "idle@example.org"])

    would_go = delete_in_batches(doomed, dry_run=True)
    gone = delete_in_batches(doomed, dry_run=False)

    assert (would_go, gone) == (1, 1)
    assert list(doomed.values_list("email", flat=True)) == ["drafter@example.org"]
