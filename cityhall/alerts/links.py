"""Absolute addresses of an alert's public page and documents, for feeds and CAP `web`."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cityhall.alerts.models import Alert


def absolute(path: str) -> str:
    return settings.CITYHALL_BASE_URL.rstrip("/") + path


def page_url(alert: Alert, language: str) -> str:
    """The alert's long web version in `language`."""
    with translation.override(language):
        return absolute(reverse("alert_pages:detail", args=[alert.identifier]))


def cap_url(alert: Alert) -> str:
    """The alert's CAP document, at a URL that never changes."""
    return absolute(reverse("alerts:cap", args=[alert.identifier]))


def json_url(alert: Alert) -> str:
    return absolute(reverse("alerts:json", args=[alert.identifier]))


def web_link(alert: Alert, language: str) -> str:
    """The link given with the alert: the officer's own, else the alert's page."""
    return alert.web or page_url(alert, language)
