import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import override_settings

from cityhall.accounts.models import User
from cityhall.accounts.services import sign_up_citizen, verify_email_address
from cityhall.accounts.tests.fixtures import link_in_last_email
from cityhall.core.errors import InvalidInput
from cityhall.core.models import AuditEvent

STRONG = "maple-syrup-canoe-42"


@pytest.mark.django_db
def test_sign_up_creates_an_unverified_account_and_emails_a_confirmation_link(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        pending = sign_up_citizen(
            email=" New.Person@Example.org ", password=STRONG, full_name="Nadia Roy"
        )

    user = User.objects.get(email="new.person@example.org")
    assert not user.has_verified_email
    assert not user.has_usable_password()
    assert pending.email == "new.person@example.org"
    assert check_password(STRONG, pending.password_hash)
    assert [message.to for message in mail.outbox] == [["new.person@example.org"]]
    assert "/en/account/verify/" in link_in_last_email("/account/verify/")
    assert AuditEvent.objects.filter(action="accounts.signed_up", actor=user).exists()


@pytest.mark.django_db
def test_the_confirmation_email_is_written_in_the_chosen_language(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up_citizen(email="francine@example.org", password=STRONG, preferred_language="fr")

    assert "/fr/account/verify/" in link_in_last_email("/account/verify/")


@pytest.mark.django_db
def test_sign_up_with_an_existing_email_creates_nothing_and_warns_the_owner(
    citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pending = sign_up_citizen(email=citizen.email.upper(), password=STRONG)

    assert pending.email == citizen.email
    assert User.objects.filter(email__iexact=citizen.email).count() == 1
    citizen.refresh_from_db()
    assert not citizen.check_password(STRONG)
    assert len(mail.outbox) == 1
    assert "already have one" in mail.outbox[0].body
    assert "/account/verify/" not in mail.outbox[0].body


@pytest.mark.django_db
def test_a_weak_password_is_refused_with_a_message_on_the_password_field():
    with pytest.raises(InvalidInput) as caught:
        sign_up_citizen(email="weak@example.org", password="password")

    assert set(caught.value.fields) == {"password"}
    assert not User.objects.filter(email="weak@example.org").exists()


@pytest.mark.django_db
def test_a_malformed_email_is_refused_on_the_email_field():
    with pytest.raises(InvalidInput) as caught:
        sign_up_citizen(email="not-an-address", password=STRONG)

    assert "email" in caught.value.fields


@pytest.mark.django_db
def test_a_weak_password_is_refused_the_same_way_for_a_known_email(citizen):
    with pytest.raises(InvalidInput) as caught:
        sign_up_citizen(email=citizen.email, password="password")

    assert set(caught.value.fields) == {"password"}


@pytest.mark.django_db
def test_verifying_the_address_queues_the_welcome_email_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up_citizen(email="welcome@example.org", password=STRONG)
    token = link_in_last_email("/account/verify/").rstrip("/").rsplit("/", 1)[-1]

    with django_capture_on_commit_callbacks(execute=True):
        verify_email_address(token=token)
    with django_capture_on_commit_callbacks(execute=True):
        verify_email_address(token=token)

    assert User.objects.get(email="welcome@example.org").has_verified_email
    assert [message.subject for message in mail.outbox][1:] == ["Welcome to Rivière-aux-Saules"]


@pytest.mark.django_db
@override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)
def test_a_real_sign_up_keeps_an_argon2_hash_until_confirmation():
    pending = sign_up_citizen(email="hashed@example.org", password=STRONG)

    assert pending.password_hash.startswith("argon2$")
    assert STRONG not in pending.password_hash
    assert STRONG not in repr(pending)


@pytest.mark.django_db
def test_repeated_sign_ups_with_a_known_email_send_its_owner_one_note_an_hour(
    citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            sign_up_citizen(email=citizen.email, password=STRONG)

    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="accounts.sign_up_with_existing_email").count() == 6
