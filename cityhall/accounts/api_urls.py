"""API routes of the accounts domain, mounted under /api/v1/."""

from django.urls import path

from cityhall.accounts import api

app_name = "accounts_api"
urlpatterns = [
    path("me", api.MeApi.as_view(), name="me"),
    path("me/tokens", api.MyAccessTokensApi.as_view(), name="my_tokens"),
    path("me/tokens/<uuid:public_id>", api.MyAccessTokenApi.as_view(), name="my_token"),
]
