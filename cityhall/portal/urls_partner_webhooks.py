"""The partner area's webhook pages (cityhall.portal.views_partner_webhooks), included under
partner/webhooks/ in the portal's namespace."""

from django.urls import path

from cityhall.portal import views_partner_webhooks as views

urlpatterns = [
    path("", views.partner_webhooks, name="partner_webhooks"),
    path("new/", views.partner_webhook_create, name="partner_webhook_create"),
    path("guide/", views.partner_webhook_guide, name="partner_webhook_guide"),
    path("<uuid:public_id>/", views.partner_webhook_detail, name="partner_webhook"),
    path("<uuid:public_id>/rotate/", views.partner_webhook_rotate, name="partner_webhook_rotate"),
    path(
        "<uuid:public_id>/disable/", views.partner_webhook_disable, name="partner_webhook_disable"
    ),
    path(
        "deliveries/<uuid:public_id>/",
        views.partner_webhook_delivery,
        name="partner_webhook_delivery",
    ),
    path(
        "deliveries/<uuid:public_id>/redeliver/",
        views.partner_webhook_redeliver,
        name="partner_webhook_redeliver",
    ),
]
