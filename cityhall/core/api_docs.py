"""The API's reference page at /api/docs/, rendered on the server from the OpenAPI schema.

No JavaScript and nothing from another origin (the Content-Security-Policy allows only the
site itself): each operation is listed with its parameters, body fields and answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    security: list[str]
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body_fields: list[tuple[str, str, bool]] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        resolved: dict[str, Any] = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return resolved
    return node


def _type_of(schema: dict[str, Any], node: dict[str, Any]) -> str:
    node = _resolve(schema, node)
    if "enum" in node:
        return " | ".join(str(value) for value in node["enum"])
    if node.get("type") == "array":
        return f"list of {_type_of(schema, node.get('items', {}))}"
    return str(node.get("format") or node.get("type") or "object")


def _body_fields(schema: dict[str, Any], operation: dict[str, Any]) -> list[tuple[str, str, bool]]:
    content = operation.get("requestBody", {}).get("content", {})
    media = content.get("application/json") or next(iter(content.values()), None)
    if not media:
        return []
    body = _resolve(schema, media.get("schema", {}))
    required = set(body.get("required", []))
    return [
        (name, _type_of(schema, prop), name in required)
        for name, prop in body.get("properties", {}).items()
    ]


def operations(schema: dict[str, Any]) -> list[Operation]:
    """Every operation of the schema, in path order, flattened for the template."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    operation_id=operation.get("operationId", ""),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    security=sorted(
                        {name for entry in operation.get("security", []) for name in entry}
                    ),
                    parameters=[
                        {**parameter, "type": _type_of(schema, parameter.get("schema", {}))}
                        for parameter in operation.get("parameters", [])
                    ],
                    body_fields=_body_fields(schema, operation),
                    responses=[
                        (code, response.get("description", ""))
                        for code, response in operation.get("responses", {}).items()
                    ],
                )
            )
    return found


def api_docs(request: HttpRequest) -> HttpResponse:
    """GET /api/docs/: the reference of /api/v1, from the same schema as /api/schema/."""
    generator = SchemaGenerator()  # type: ignore[no-untyped-call]  # untyped library
    schema = generator.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    context = {
        "info": schema.get("info", {}),
        "operations": operations(schema),
        "security_schemes": schema.get("components", {}).get("securitySchemes", {}),
    }
    return render(request, "api/docs.html", context)
