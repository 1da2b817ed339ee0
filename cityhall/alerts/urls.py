"""The machine feeds of alerts, outside the language prefix (mounted at alerts/)."""

from django.urls import path

from cityhall.alerts import views_feeds

app_name = "alerts"
urlpatterns = [
    path("feed.atom", views_feeds.atom_view, name="feed"),
    path("current.json", views_feeds.current_json_view, name="current_json"),
    path("<slug:identifier>.xml", views_feeds.cap_view, name="cap"),
    path("<slug:identifier>.json", views_feeds.json_view, name="json"),
]
