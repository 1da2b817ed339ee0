"""API routes of the accounts domain, mounted under /api/v1/."""

from django.urls import URLPattern

app_name = "accounts_api"
urlpatterns: list[URLPattern] = []
