"""POST /api/v1/alerts/cap: CAP 1.2 documents from upstream authorities, checked against the
schema with a hardened parser, stored once as incoming alerts; GET /api/v1/alerts/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import etree
from rest_framework.test import APIClient

from cityhall.accounts.scopes import ApiScope
from cityhall.accounts.tests.api_callers import key_headers
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.alerts.cap import cap_document
from cityhall.alerts.models import IncomingAlert
from cityhall.alerts.tests.alert_factories import AlertFactory
from cityhall.core.models import AuditEvent
from cityhall.places.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/alerts/cap"
CAP = "urn:oasis:names:tc:emergency:cap:1.2"


@pytest.fixture
def organisation():
    return PartnerOrganisationFactory(name="Provincial alerting")


def client_with(organisation, scopes: list[str]) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=key_headers(organisation, scopes)["Authorization"])
    return client


def upstream_document(identifier: str = "prov-2026-001") -> bytes:
    """A valid CAP document as another authority would send it (made by our own writer)."""
    alert = AlertFactory()
    root = etree.fromstring(cap_document(alert))
    root.find(f"{{{CAP}}}identifier").text = identifier
    root.find(f"{{{CAP}}}sender").text = "alerts@province.example"
    document: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return document


def post(client: APIClient, body: bytes):
    return client.generic("POST", URL, data=body, content_type="application/cap+xml")  # type: ignore[arg-type]  # Django's client sends bytes as they are


def test_a_valid_document_is_stored_once_as_an_incoming_alert(organisation) -> None:
    DistrictFactory()
    client = client_with(organisation, [ApiScope.ALERTS_WRITE])
    document = upstream_document()

    first = post(client, document)
    again = post(client, document)

    assert first.status_code == 201
    assert first.json()["created"] is True
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    incoming = IncomingAlert.objects.get()
    assert incoming.partner == organisation
    assert incoming.source == IncomingAlert.Source.API
    assert incoming.text("fr")["headline"] == "Inondation le long de la rivière"
    assert incoming.area is not None
    assert AuditEvent.objects.filter(action="alerts.incoming_received").count() == 1


def test_a_key_without_the_scope_is_refused(organisation) -> None:
    client = client_with(organisation, [ApiScope.REQUESTS_READ])
    response = post(client, upstream_document())
    assert response.status_code == 403
    assert not IncomingAlert.objects.exists()


def test_a_document_failing_the_schema_gets_machine_readable_reasons(organisation) -> None:
    client = client_with(organisation, [ApiScope.ALERTS_WRITE])
    body = f'<alert xmlns="{CAP}"><identifier>x</identifier></alert>'.encode()
    response = post(client, body)
    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "invalid_cap"
    assert error["fields"]["document"][0].startswith("Line 1:")
    assert not IncomingAlert.objects.exists()


def test_entities_are_never_expanded(organisation, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    client = client_with(organisation, [ApiScope.ALERTS_WRITE])
    body = (
        f'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<alert xmlns="{CAP}"><identifier>&x;</identifier></alert>'
    ).encode()
    response = post(client, body)
    assert response.status_code == 400
    assert "TOP-SECRET" not in response.content.decode()
    assert "not accepted" in response.json()["error"]["fields"]["document"][0]


@pytest.mark.parametrize("body", [b"", b"not xml at all", b"<alert>"])
def test_what_is_not_xml_is_refused_clearly(organisation, body) -> None:
    client = client_with(organisation, [ApiScope.ALERTS_WRITE])
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["document"]


def test_the_alerts_list_gives_the_current_alerts_to_anyone() -> None:
    alert = AlertFactory()
    response = APIClient().get(reverse("alerts_api:alerts"))
    assert response.status_code == 200
    assert alert.identifier in response.content.decode()
