"""/api/schema/ is a valid OpenAPI 3 document describing every endpoint, its errors and its auth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

COMMITTED_SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def test_the_schema_validates_without_a_single_warning(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert yaml.safe_load(target.read_text())["openapi"].startswith("3.")


def test_the_committed_schema_is_the_one_the_code_serves(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--file", str(target))

    assert target.read_text() == COMMITTED_SCHEMA.read_text(), (
        "The API changed: review the difference, then refresh the published schema with "
        "`manage.py spectacular --file docs/openapi.yaml`."
    )


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_every_operation_documents_the_error_contract_and_retry_after(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            for code in ("400", "401", "403", "404", "429"):
                content = responses[code]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, code)
            assert "Retry-After" in responses["429"]["headers"], (method, path)


def test_the_three_ways_to_authenticate_are_declared(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schemes["ApiKeyAuth"]["description"],
    }
    assert schemes["AccessTokenAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_request_creation_documents_the_idempotency_key_and_refuses_unknown_fields(schema):
    operation = schema["paths"]["/api/v1/requests"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]

    assert "Idempotency-Key" in [parameter["name"] for parameter in operation["parameters"]]
    assert schema["components"]["schemas"][body.rsplit("/", 1)[1]]["additionalProperties"] is False


def test_the_docs_page_lists_every_operation_without_third_party_assets(client, schema, db):
    response = client.get("/api/docs/")

    page = response.content.decode()
    assert response.status_code == 200
    for path, item in schema["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in page
    assert "https://" not in page
    assert "http://" not in page
