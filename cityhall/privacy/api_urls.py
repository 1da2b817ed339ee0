"""API routes of the privacy domain, mounted under /api/v1/."""

from django.urls import path

from cityhall.privacy import api

app_name = "privacy_api"
urlpatterns = [
    path("me/consents", api.MyConsentsApi.as_view(), name="my_consents"),
    path("me/consents/<str:purpose_code>", api.MyConsentApi.as_view(), name="my_consent"),
]
