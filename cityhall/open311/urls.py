"""GeoReport v2 routes, mounted at open311/v2/; each takes a .json or .xml extension."""

from django.urls import path, re_path

from cityhall.open311 import catalog_views, request_views

app_name = "open311"

FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
SEGMENT = r"[^/.]+"

urlpatterns = [
    path("", catalog_views.discovery, {"fmt": "xml"}, name="root"),
    re_path(r"^discovery" + FORMAT, catalog_views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, catalog_views.service_list, name="services"),
    re_path(
        rf"^services/(?P<service_code>{SEGMENT})" + FORMAT,
        catalog_views.service_definition,
        name="service-definition",
    ),
    re_path(r"^requests" + FORMAT, request_views.service_requests, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>{SEGMENT})" + FORMAT,
        request_views.service_request,
        name="request",
    ),
    re_path(rf"^tokens/(?P<token>{SEGMENT})" + FORMAT, request_views.token, name="token"),
]
