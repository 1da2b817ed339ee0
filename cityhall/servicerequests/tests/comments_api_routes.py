"""The site's routes with the comments endpoint mounted where `api_urls.py` is to mount it."""

from django.urls import path

from cityhall.servicerequests.api import CommentsApi
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("api/v1/requests/<str:tracking_number>/comments", CommentsApi.as_view()),
    *site_urlpatterns,
]
