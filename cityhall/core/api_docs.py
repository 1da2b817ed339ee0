"""The API's reference page at /api/docs/, rendered on the server from the OpenAPI schema.

No JavaScript and nothing from another origin (the Content-Security-Policy allows only the
site itself): each operation is listed with its parameters, body fields and answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")

_CODE_SPAN = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*([^*]+)\*\*")
_LIST_ITEM = re.compile(r"^\s*[*-]\s+")


def _inline(text: str) -> str:
    # Escaped first, so the only markup in the result is the markup added here.
    html = _CODE_SPAN.sub(r"<code>\1</code>", escape(text))
    return _STRONG.sub(r"<strong>\1</strong>", html)


def markdown_subset(text: str) -> SafeString:
    """The schema's CommonMark descriptions as HTML: paragraphs, `*`/`-` lists, `code` spans and
    **strong** text; everything else is shown as escaped text."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if lines and all(_LIST_ITEM.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_LIST_ITEM.sub('', line))}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return mark_safe("".join(blocks))  # noqa: S308  # nosec B308 B703: built from escaped text


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
                    description=markdown_subset(operation.get("description", "")),
                    security=sorted(
                        {name for entry in operation.get("security", []) for name in entry}
                    ),
                    parameters=[
                        {
                            **parameter,
                            "type": _type_of(schema, parameter.get("schema", {})),
                            "description": markdown_subset(parameter.get("description", "")),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    body_fields=_body_fields(schema, operation),
                    responses=[
                        (code, markdown_subset(response.get("description", "")))
                        for code, response in operation.get("responses", {}).items()
                    ],
                )
            )
    return found


def api_docs(request: HttpRequest) -> HttpResponse:
    """GET /api/docs/: the reference of /api/v1, from the same schema as /api/schema/."""
    generator = SchemaGenerator()  # type: ignore[no-untyped-call]  # untyped library
    schema = generator.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    info = schema.get("info", {})
    schemes = schema.get("components", {}).get("securitySchemes", {})
    context = {
        "info": {**info, "description": markdown_subset(info.get("description", ""))},
        "operations": operations(schema),
        "security_schemes": {
            name: {**scheme, "description": markdown_subset(scheme.get("description", ""))}
            for name, scheme in schemes.items()
        },
    }
    return render(request, "api/docs.html", context)
