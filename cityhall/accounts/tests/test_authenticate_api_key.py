from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.accounts.errors import InvalidApiKey
from cityhall.accounts.models import ApiKey
from cityhall.accounts.services import authenticate_api_key, create_api_key, revoke_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory


@pytest.fixture
def issued(admin):
    return create_api_key(
        actor=admin, organisation=PartnerOrganisationFactory(), name="K", scopes=["requests:read"]
    )


@pytest.mark.django_db
def test_a_live_key_authenticates_and_records_its_use(issued):
    api_key = authenticate_api_key(raw_key=issued.key)

    assert api_key == issued.api_key
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at is not None


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(issued, django_assert_num_queries):
    authenticate_api_key(raw_key=issued.key)
    first_use = ApiKey.objects.get(pk=issued.api_key.pk).last_used_at

    with django_assert_num_queries(1):
        authenticate_api_key(raw_key=issued.key)

    assert ApiKey.objects.get(pk=issued.api_key.pk).last_used_at == first_use


@pytest.mark.django_db
def test_last_use_is_written_again_after_a_minute(issued):
    stale = timezone.now() - timedelta(minutes=5)
    ApiKey.objects.filter(pk=issued.api_key.pk).update(last_used_at=stale)

    authenticate_api_key(raw_key=issued.key)

    last_used_at = ApiKey.objects.get(pk=issued.api_key.pk).last_used_at
    assert last_used_at is not None
    assert last_used_at > stale


@pytest.mark.django_db
def test_revoked_key_is_refused(admin, issued):
    revoke_api_key(actor=admin, api_key=issued.api_key)

    with pytest.raises(InvalidApiKey):
        authenticate_api_key(raw_key=issued.key)


@pytest.mark.django_db
def test_a_key_of_an_inactive_organisation_is_refused(issued):
    issued.api_key.organisation.is_active = False
    issued.api_key.organisation.save()

    with pytest.raises(InvalidApiKey):
        authenticate_api_key(raw_key=issued.key)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: key + "x",
        lambda key: key.split(".")[0] + ".wrong",
        lambda key: "unknown." + key.split(".")[1],
        lambda key: key.replace(".", ""),
        lambda key: "",
    ],
)
def test_a_wrong_or_malformed_key_is_refused(issued, mangle):
    with pytest.raises(InvalidApiKey):
        authenticate_api_key(raw_key=mangle(issued.key))
