"""Provider webhooks, outside the language prefix: mount with
`path("notifications/", include("cityhall.notifications.urls"))` in config/urls.py."""

from django.urls import path

from cityhall.notifications import webhooks

app_name = "notifications"
urlpatterns = [
    path("sms/status", webhooks.sms_status, name="sms_status"),
    path("sms/inbound", webhooks.sms_inbound, name="sms_inbound"),
]
