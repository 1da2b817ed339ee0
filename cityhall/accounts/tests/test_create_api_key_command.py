from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cityhall.accounts.services import authenticate_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_the_command_prints_a_working_key_alone_on_the_last_line():
    organisation = PartnerOrganisationFactory(name="Hydro Rivière")
    out = StringIO()

    call_command(
        "create_api_key",
        "--partner",
        "hydro rivière",
        "--scopes",
        "requests:read, open311:write",
        stdout=out,
    )

    key = out.getvalue().strip().splitlines()[-1]
    api_key = authenticate_api_key(raw_key=key)
    assert api_key.organisation == organisation
    assert api_key.scopes == ["open311:write", "requests:read"]
    assert AuditEvent.objects.get(action="accounts.api_key_created").actor is None


@pytest.mark.django_db
def test_an_unknown_partner_is_an_error():
    with pytest.raises(CommandError, match="No partner organisation"):
        call_command("create_api_key", "--partner", "Nobody", "--scopes", "requests:read")


@pytest.mark.django_db
def test_an_unknown_scope_is_an_error():
    PartnerOrganisationFactory(name="Hydro")

    with pytest.raises(CommandError, match="Unknown scopes: root"):
        call_command("create_api_key", "--partner", "Hydro", "--scopes", "root")
