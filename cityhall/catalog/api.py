"""Catalog endpoints under /api/v1/catalog/: topics, services and their form fields.

The catalog is public: anyone may read it, signed in or not. Only listed (active) services
appear. Names and texts are given in both languages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.catalog.models import Service, ServiceField, ServiceFieldChoice, Topic
from cityhall.catalog.selectors import (
    fields_for_request_form,
    get_service_for_citizen,
    search_services,
    services_for_portal,
)
from cityhall.core.api_inputs import NoParameters, validated


class Bilingual(serializers.Serializer[Any]):
    en = serializers.CharField()
    fr = serializers.CharField()


def _bilingual(english: str, french: str) -> dict[str, str]:
    return {"en": english, "fr": french}


class TopicOutput(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.SerializerMethodField()
    order = serializers.IntegerField()

    @extend_schema_field(Bilingual)
    def get_name(self, topic: Topic) -> dict[str, str]:
        return _bilingual(topic.name_en, topic.name_fr)


class ServiceOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    topic = serializers.CharField(source="topic.slug", allow_null=True, default=None)
    accepts_requests = serializers.BooleanField()
    requires_location = serializers.BooleanField()
    requires_photo = serializers.BooleanField()
    allows_anonymous = serializers.BooleanField()
    is_sensitive = serializers.BooleanField()

    @extend_schema_field(Bilingual)
    def get_name(self, service: Service) -> dict[str, str]:
        return _bilingual(service.name_en, service.name_fr)

    @extend_schema_field(Bilingual)
    def get_description(self, service: Service) -> dict[str, str]:
        return _bilingual(service.description_en, service.description_fr)


class ChoiceOutput(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.SerializerMethodField()

    @extend_schema_field(Bilingual)
    def get_name(self, choice: ServiceFieldChoice) -> dict[str, str]:
        return _bilingual(choice.name_en, choice.name_fr)


class FieldOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    order = serializers.IntegerField()
    datatype = serializers.ChoiceField(choices=ServiceField.Datatype.choices)
    is_required = serializers.BooleanField()
    is_private = serializers.BooleanField(help_text="Answers are seen by staff only.")
    label = serializers.SerializerMethodField()  # type: ignore[assignment]  # DRF's metaclass takes declared fields off the class
    help_text = serializers.SerializerMethodField()  # type: ignore[assignment]  # DRF's metaclass takes declared fields off the class
    choices = ChoiceOutput(many=True, source="choices.all")

    @extend_schema_field(Bilingual)
    def get_label(self, field: ServiceField) -> dict[str, str]:
        return _bilingual(field.label_en, field.label_fr)

    @extend_schema_field(Bilingual)
    def get_help_text(self, field: ServiceField) -> dict[str, str]:
        return _bilingual(field.help_text_en, field.help_text_fr)


class ServiceDetailOutput(ServiceOutput):
    fields = serializers.SerializerMethodField(method_name="form_fields")  # type: ignore[assignment]  # DRF's metaclass takes declared fields off the class

    @extend_schema_field(FieldOutput(many=True))
    def form_fields(self, service: Service) -> list[dict[str, Any]]:
        return list(FieldOutput(fields_for_request_form(service), many=True).data)


class TopicsApi(APIView):
    """GET /api/v1/catalog/topics: the topics the catalog is browsed by, in order."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: TopicOutput(many=True)}, operation_id="catalog_topics_list")
    def get(self, request: Request) -> Response:
        validated(NoParameters, request.query_params)
        groups = services_for_portal(get_language() or "en")
        topics = [group.topic for group in groups if group.topic is not None]
        return Response(TopicOutput(topics, many=True).data)


class ServicesApi(APIView):
    """GET /api/v1/catalog/services: listed services, by topic order then name.

    `topic` keeps one topic's services (an unknown slug gives an empty list); `q` searches
    names, synonyms and keywords in both languages, best match first.
    """

    permission_classes = [AllowAny]

    class Filters(serializers.Serializer[Any]):
        topic = serializers.SlugField(required=False, max_length=60)
        q = serializers.CharField(required=False, max_length=200)

    @extend_schema(
        parameters=[Filters],
        responses={200: ServiceOutput(many=True)},
        operation_id="catalog_services_list",
    )
    def get(self, request: Request) -> Response:
        filters = validated(self.Filters, request.query_params)
        language = get_language() or "en"
        if filters.get("q"):
            services = search_services(filters["q"], language=language, limit=50)
        else:
            services = [s for group in services_for_portal(language) for s in group.services]
        if "topic" in filters:
            services = [s for s in services if s.topic and s.topic.slug == filters["topic"]]
        return Response(ServiceOutput(services, many=True).data)


class ServiceDetailApi(APIView):
    """GET /api/v1/catalog/services/{code}: one listed service with its form fields in order.

    404 for a code that is not listed.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")
        ],
        responses={200: ServiceDetailOutput},
        operation_id="catalog_services_retrieve",
    )
    def get(self, request: Request, code: str) -> Response:
        validated(NoParameters, request.query_params)
        return Response(ServiceDetailOutput(get_service_for_citizen(code)).data)
