"""API routes of the catalog, mounted under /api/v1/catalog/."""

from django.urls import path

from cityhall.catalog import api

app_name = "catalog_api"
urlpatterns = [
    path("topics", api.TopicsApi.as_view(), name="topics"),
    path("services", api.ServicesApi.as_view(), name="services"),
    path("services/<slug:code>", api.ServiceDetailApi.as_view(), name="service"),
]
