"""API routes of the accounts domain, mounted under /api/v1/."""

from django.urls import path

from cityhall.accounts import api

app_name = "accounts_api"
urlpatterns = [
    path("me", api.MeApi.as_view(), name="me"),
]
