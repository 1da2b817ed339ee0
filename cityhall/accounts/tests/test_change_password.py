import pytest
from django.core import mail

from cityhall.accounts.services import change_password
from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.core.errors import InvalidInput

NEW = "lighthouse-harbour-77"


@pytest.mark.django_db
def test_the_password_changes_and_the_owner_is_told(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        change_password(actor=citizen, current_password=DEFAULT_PASSWORD, new_password=NEW)

    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert mail.outbox[-1].to == [citizen.email]


@pytest.mark.django_db
def test_a_wrong_current_password_is_refused_on_its_field(citizen):
    with pytest.raises(InvalidInput) as caught:
        change_password(actor=citizen, current_password="wrong", new_password=NEW)

    assert set(caught.value.fields) == {"current_password"}


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_on_its_field(citizen):
    with pytest.raises(InvalidInput) as caught:
        change_password(actor=citizen, current_password=DEFAULT_PASSWORD, new_password="camille")

    assert set(caught.value.fields) == {"new_password"}
