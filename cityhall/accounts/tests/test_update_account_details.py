import pytest

from cityhall.accounts.services import update_account_details
from cityhall.core.errors import InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_citizen_changes_their_name_and_language(citizen):
    update_account_details(
        actor=citizen, user=citizen, full_name=" Camille T. ", preferred_language="fr"
    )

    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.preferred_language) == ("Camille T.", "fr")
    assert AuditEvent.objects.filter(action="accounts.account_details_updated").exists()


@pytest.mark.django_db
def test_nobody_can_change_another_persons_details(citizen, other_citizen):
    with pytest.raises(PermissionDenied):
        update_account_details(
            actor=other_citizen, user=citizen, full_name="Hacked", preferred_language="en"
        )


@pytest.mark.django_db
def test_an_unknown_language_is_refused(citizen):
    with pytest.raises(InvalidInput) as caught:
        update_account_details(actor=citizen, user=citizen, full_name="", preferred_language="xx")

    assert "preferred_language" in caught.value.fields
