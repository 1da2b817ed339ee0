"""API routes of alerts, mounted under /api/v1/alerts/."""

from django.urls import path

from cityhall.alerts import api

app_name = "alerts_api"
urlpatterns = [
    path("", api.AlertsApi.as_view(), name="alerts"),
    path("cap", api.CapInputApi.as_view(), name="cap_input"),
]
