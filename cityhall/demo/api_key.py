"""The partner API key `make run` prints, so Open311 clients can be tried against the demo city.

A key's secret is stored only as a digest, so it cannot be shown again: each start issues a
new demo key and revokes the one issued at the previous start.
"""

from __future__ import annotations

from django.db import transaction

from cityhall.accounts.models import ApiKey, PartnerOrganisation
from cityhall.accounts.scopes import ApiScope
from cityhall.accounts.services import IssuedApiKey, create_api_key, revoke_api_key
from cityhall.demo.generator.administration import SNOW_CONTRACTOR

DEMO_KEY_NAME = "Demo key (make run)"
DEMO_KEY_SCOPES = [ApiScope.OPEN311_WRITE, ApiScope.REQUESTS_READ, ApiScope.REQUESTS_WRITE]


@transaction.atomic
def issue_demo_api_key() -> IssuedApiKey | None:
    """A fresh key of the demo snow contractor; None when the demo city is not loaded.

    The operator (actor None) issues it, as `manage.py create_api_key` does; both the
    revocation of the previous demo key and the new key are audited.
    """
    organisation = PartnerOrganisation.objects.filter(name=SNOW_CONTRACTOR, is_active=True).first()
    if organisation is None:
        return None
    earlier = ApiKey.objects.filter(
        organisation=organisation, name=DEMO_KEY_NAME, revoked_at__isnull=True
    )
    for api_key in earlier:
        revoke_api_key(actor=None, api_key=api_key)
    return create_api_key(
        actor=None,
        organisation=organisation,
        name=DEMO_KEY_NAME,
        scopes=[str(scope) for scope in DEMO_KEY_SCOPES],
    )
