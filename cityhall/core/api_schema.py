"""The OpenAPI side of the API's error contract: every operation documents its error answers.

Set as REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]. Each operation lists 400, 401, 403, 404 and 429
(with Retry-After), and unsafe methods also 409, all with the `ErrorBody` shape of
`cityhall.core.api.handle_api_exception`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": "The input is not valid; `fields` names each wrong field or parameter.",
    "401": "No credentials, or credentials that are not valid.",
    "403": "The caller may not do this (role or API-key scope).",
    "404": "No such object, or not one the caller may see.",
    "409": "The object's current state forbids this change.",
    "429": "Too many requests; wait for the seconds in Retry-After.",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ErrorDetail(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    message = serializers.CharField(help_text="A sentence for people, in the request's language.")
    fields = serializers.DictField(  # type: ignore[assignment]  # DRF's metaclass takes declared fields off the class
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field or query parameter (empty when none applies).",
    )


class ErrorBody(serializers.Serializer[Any]):
    """The one shape of every API error."""

    error = ErrorDetail()


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the error contract added to every operation.

    Request bodies declare `additionalProperties: false`: the API refuses unknown fields.
    """

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)  # type: ignore[no-untyped-call]  # untyped library
        if direction == "request":
            schema["additionalProperties"] = False
        return schema

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in ERROR_DESCRIPTIONS.items():
            if code in responses or (code == "409" and self.method in SAFE_METHODS):
                continue
            response = self._get_response_for_code(  # type: ignore[no-untyped-call]  # untyped library
                ErrorBody, code, direction=direction
            )
            response["description"] = description
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer", "minimum": 1},
                        "description": "Seconds to wait before trying again.",
                    }
                }
            responses[code] = response
        return responses
