"""The citizen portal's pages."""

from django.urls import path

from cityhall.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
