"""The portal's alert pages, inside the language prefix (mounted at alerts/)."""

from django.urls import path

from cityhall.alerts import views_pages

app_name = "alert_pages"
urlpatterns = [
    path("", views_pages.alert_list, name="list"),
    path("<slug:identifier>/", views_pages.alert_detail, name="detail"),
]
