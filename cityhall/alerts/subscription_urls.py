"""Portal routes of alert subscriptions (mounted per language)."""

from django.urls import path

from cityhall.alerts import views_subscriptions as views

app_name = "alert_subscriptions"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("places/", views.add_place, name="add_place"),
    path("places/<uuid:public_id>/remove/", views.remove_place, name="remove_place"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("stop/<uuid:public_id>/<str:token>/", views.stop, name="stop"),
]
