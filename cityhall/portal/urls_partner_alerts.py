"""The partner area's alert pages (cityhall.portal.views_partner_alerts), included under
partner/alerts/ in the portal's namespace."""

from django.urls import path

from cityhall.portal import views_partner_alerts as views

urlpatterns = [
    path("", views.partner_alerts, name="partner_alerts"),
    path("<uuid:public_id>/new/", views.partner_alert_new, name="partner_alert_new"),
]
