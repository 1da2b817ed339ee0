"""Top-level routes: the portal at the root and the back office under staff/, both per language;
the JSON API under api/v1/ and health checks outside the language prefix. Server errors go
through core's handler, which answers 503 while the database is unreachable."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from cityhall.core import views as core_views
from cityhall.core.api_docs import api_docs
from cityhall.core.api_views import api_not_found
from cityhall.core.unreadable import bad_request

urlpatterns = [
    path("healthz", core_views.health, name="health"),
    path("api/v1/", include("cityhall.accounts.api_urls")),
    path("api/v1/catalog/", include("cityhall.catalog.api_urls")),
    path("api/v1/places/", include("cityhall.places.api_urls")),
    path("api/v1/appointments/", include("cityhall.appointments.api_urls")),
    path("api/v1/alerts/", include("cityhall.alerts.api_urls")),
    path("api/v1/", include("cityhall.servicerequests.api_urls")),
    path("api/v1/", include("cityhall.privacy.api_urls")),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="api_schema",
    ),
    path("api/docs/", api_docs, name="api_docs"),
    re_path(r"^api/(?P<path>.*)$", api_not_found),
    path("notifications/", include("cityhall.notifications.urls")),
    path("alerts/", include("cityhall.alerts.urls")),
    path("open311/v2/", include("cityhall.open311.urls")),
]

urlpatterns += i18n_patterns(
    path("staff/", include("cityhall.backoffice.urls")),
    path("alerts/subscribe/", include("cityhall.alerts.subscription_urls")),
    path("alerts/", include("cityhall.alerts.urls_pages")),
    path("", include("cityhall.portal.urls")),
)

handler400 = bad_request
handler500 = core_views.server_error
