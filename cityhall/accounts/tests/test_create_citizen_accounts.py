import pytest

from cityhall.accounts.models import User
from cityhall.accounts.services import create_citizen_accounts
from cityhall.accounts.services.residents import NewCitizen
from cityhall.core.errors import Conflict
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_residents_are_created_verified_without_a_usable_password_in_one_audit_event():
    people = [
        NewCitizen(email=f"Resident.{n}@Example.org", full_name=f"Resident {n}") for n in range(3)
    ]

    created = create_citizen_accounts(people=people, actor=None)

    assert created == 3
    users = list(User.objects.order_by("email"))
    assert [user.email for user in users] == [f"resident.{n}@example.org" for n in range(3)]
    assert all(user.has_verified_email for user in users)
    assert not any(user.has_usable_password() for user in users)
    assert all(user.preferred_language == "fr" for user in users)
    event = AuditEvent.objects.get(action="accounts.citizens_created")
    assert event.data == {"count": 3}


@pytest.mark.django_db
def test_a_batch_with_a_known_address_creates_nobody(citizen):
    people = [
        NewCitizen(email="new.person@example.org", full_name="New Person"),
        NewCitizen(email=citizen.email.upper(), full_name="Again"),
    ]

    with pytest.raises(Conflict):
        create_citizen_accounts(people=people, actor=None)

    assert not User.objects.filter(email="new.person@example.org").exists()
