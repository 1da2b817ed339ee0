import pytest
from django.core import mail

from cityhall.accounts.services import request_sign_in_link
from cityhall.accounts.tests.factories import UserFactory
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_known_address_gets_a_sign_in_link(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_sign_in_link(email=citizen.email.upper(), ip_address="192.0.2.1")

    assert mail.outbox[-1].to == [citizen.email]
    assert "/en/account/sign-in/link/" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="accounts.sign_in_link_requested").count() == 1


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = request_sign_in_link(email="nobody@example.org", ip_address="192.0.2.1")

    assert result is None
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_inactive_account_gets_no_link(django_capture_on_commit_callbacks):
    user = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        request_sign_in_link(email=user.email, ip_address=None)

    assert mail.outbox == []


@pytest.mark.django_db
def test_repeated_requests_cannot_flood_an_inbox(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(8):
            request_sign_in_link(email=citizen.email, ip_address=None)

    assert len(mail.outbox) == 5
