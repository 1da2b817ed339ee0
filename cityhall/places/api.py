"""Places endpoints under /api/v1/places/: geocoding, reverse geocoding, district lookup.

The address register and district boundaries are public data, but the lookups cost CPU, so
they are open to any authenticated caller (person, token or partner key) and rate-limited.
Coordinates are WGS84 degrees; anything off the globe is a 400 on the named parameter.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.core.api_inputs import validated
from cityhall.places.selectors import (
    MAX_NEAREST_DISTANCE_M,
    district_for_point,
    geocode,
    nearest_address,
)

MAX_GEOCODE_RESULTS = 20


class DistrictOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")
    kind = serializers.CharField()


class AddressOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    label = serializers.CharField()  # type: ignore[assignment]  # DRF's metaclass takes declared fields off the class
    civic_number = serializers.CharField()
    street_name = serializers.CharField()
    unit = serializers.CharField()
    postal_code = serializers.CharField()
    municipality = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    district = DistrictOutput(allow_null=True)


class GeocodeMatchOutput(serializers.Serializer[Any]):
    address = AddressOutput()
    score = serializers.FloatField(help_text="Similarity of the street name, 0 to 100.")


class ReverseOutput(serializers.Serializer[Any]):
    address = AddressOutput(allow_null=True)


class DistrictLookupOutput(serializers.Serializer[Any]):
    district = DistrictOutput(allow_null=True)


class Point(serializers.Serializer[Any]):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)


class GeocodeApi(APIView):
    """GET /api/v1/places/geocode?q=…: addresses matching free text, best first.

    Tolerates accents, abbreviations and small typos in the street; the civic number must be
    exact. No match is an empty list.
    """

    class Query(serializers.Serializer[Any]):
        q = serializers.CharField(max_length=300)
        limit = serializers.IntegerField(min_value=1, max_value=MAX_GEOCODE_RESULTS, default=5)

    @extend_schema(
        parameters=[Query], responses={200: GeocodeMatchOutput(many=True)}, operation_id="geocode"
    )
    def get(self, request: Request) -> Response:
        query = validated(self.Query, request.query_params)
        matches = geocode(query["q"], limit=query["limit"])
        return Response(GeocodeMatchOutput(matches, many=True).data)


class ReverseGeocodeApi(APIView):
    """GET /api/v1/places/reverse?latitude=…&longitude=…: the nearest address, or null.

    `max_distance_m` (default 250, at most 5000) bounds how far the address may be.
    """

    class Query(Point):
        max_distance_m = serializers.FloatField(
            min_value=1, max_value=MAX_NEAREST_DISTANCE_M, default=250.0
        )

    @extend_schema(
        parameters=[Query], responses={200: ReverseOutput}, operation_id="reverse_geocode"
    )
    def get(self, request: Request) -> Response:
        query = validated(self.Query, request.query_params)
        address = nearest_address(
            query["latitude"], query["longitude"], max_distance_m=query["max_distance_m"]
        )
        return Response(ReverseOutput({"address": address}).data)


class DistrictLookupApi(APIView):
    """GET /api/v1/places/district?latitude=…&longitude=…: the district there, or null."""

    @extend_schema(
        parameters=[Point], responses={200: DistrictLookupOutput}, operation_id="district_lookup"
    )
    def get(self, request: Request) -> Response:
        point = validated(Point, request.query_params)
        district = district_for_point(point["latitude"], point["longitude"])
        return Response(DistrictLookupOutput({"district": district}).data)
