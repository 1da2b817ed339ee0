"""API routes of places, mounted under /api/v1/places/."""

from django.urls import path

from cityhall.places import api

app_name = "places_api"
urlpatterns = [
    path("geocode", api.GeocodeApi.as_view(), name="geocode"),
    path("reverse", api.ReverseGeocodeApi.as_view(), name="reverse"),
    path("district", api.DistrictLookupApi.as_view(), name="district"),
]
