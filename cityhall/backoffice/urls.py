"""The staff back office's pages."""

from django.urls import path

from cityhall.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
