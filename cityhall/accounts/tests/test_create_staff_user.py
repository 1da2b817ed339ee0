import pytest
from django.core import mail

from cityhall.accounts.models import User
from cityhall.accounts.services import create_staff_user
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_city_admin_creates_a_staff_account_that_is_invited_to_choose_a_password(
    admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = create_staff_user(actor=admin, email="New.Hire@City.example", full_name="Noé Hire")

    assert (user.email, user.is_staff, user.has_usable_password()) == (
        "new.hire@city.example",
        True,
        False,
    )
    assert "/account/password-reset/" in mail.outbox[-1].body
    assert AuditEvent.objects.get(action="accounts.staff_user_created").actor == admin


@pytest.mark.django_db
def test_an_existing_citizen_account_becomes_staff_without_an_invitation(
    admin, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = create_staff_user(actor=admin, email=citizen.email, full_name="ignored")

    assert user == citizen
    assert User.objects.get(pk=citizen.pk).is_staff
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["agent", "supervisor", "citizen"])
def test_only_a_city_admin_creates_staff_accounts(persona, request):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        create_staff_user(actor=actor, email="x@city.example", full_name="X")

    assert not User.objects.filter(email="x@city.example").exists()


@pytest.mark.django_db
def test_a_malformed_address_is_refused(admin):
    with pytest.raises(InvalidInput) as caught:
        create_staff_user(actor=admin, email="not an address", full_name="X")

    assert "email" in caught.value.fields
