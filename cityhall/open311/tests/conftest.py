"""Fixtures for the GeoReport v2 tests: partner keys and a small catalog."""

import pytest

from cityhall.accounts.scopes import ApiScope
from cityhall.accounts.services import create_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.catalog.models import ServiceField
from cityhall.catalog.tests.factories import (
    ServiceFactory,
    ServiceFieldChoiceFactory,
    ServiceFieldFactory,
)


def issue_key(*scopes):
    """A new key (the raw string) for a new partner organisation."""
    issued = create_api_key(
        actor=None,
        organisation=PartnerOrganisationFactory(),
        name="Open311 client",
        scopes=list(scopes),
    )
    return issued.key


@pytest.fixture
def open311_key(db):
    return issue_key(ApiScope.OPEN311_WRITE)


@pytest.fixture
def pothole(db):
    """A service with a required single choice, an optional multiple choice and a private field."""
    service = ServiceFactory(
        code="pothole",
        name_en="Pothole",
        name_fr="Nid-de-poule",
        keywords_en=["road", "hole"],
        keywords_fr=["rue", "trou"],
        allows_anonymous=True,
    )
    size = ServiceFieldFactory(
        service=service,
        code="size",
        order=1,
        datatype=ServiceField.Datatype.SINGLE_VALUE_LIST,
        is_required=True,
        label_en="How big is it?",
        label_fr="Quelle taille?",
    )
    ServiceFieldChoiceFactory(field=size, key="small", name_en="Small", name_fr="Petit")
    ServiceFieldChoiceFactory(field=size, key="large", name_en="Large", name_fr="Grand")
    lanes = ServiceFieldFactory(
        service=service,
        code="lanes",
        order=2,
        datatype=ServiceField.Datatype.MULTI_VALUE_LIST,
        label_en="Which lanes?",
        label_fr="Quelles voies?",
    )
    ServiceFieldChoiceFactory(field=lanes, key="left", name_en="Left", name_fr="Gauche")
    ServiceFieldChoiceFactory(field=lanes, key="right", name_en="Right", name_fr="Droite")
    ServiceFieldFactory(service=service, code="crew", order=3, is_private=True)
    return service
