import pytest
from django.core import mail

from cityhall.accounts.services import request_password_reset
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_known_address_gets_a_reset_link(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_password_reset(email=citizen.email, ip_address="192.0.2.1")

    assert mail.outbox[-1].to == [citizen.email]
    assert f"/en/account/password-reset/{citizen.public_id}/" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="accounts.password_reset_requested").count() == 1


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = request_password_reset(email="nobody@example.org", ip_address=None)

    assert result is None
    assert mail.outbox == []
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_repeated_reset_requests_cannot_flood_an_inbox(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(7):
            request_password_reset(email=citizen.email, ip_address=None)

    assert len(mail.outbox) == 5
