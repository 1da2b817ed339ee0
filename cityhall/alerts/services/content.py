"""What an officer gives for an alert, checked before anything is stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon

from cityhall.alerts.areas import AlertArea, Circle
from cityhall.alerts.models import ALERT_LANGUAGES, SHORT_TEXT_MAX_LENGTH, Alert, AlertText
from cityhall.core.errors import InvalidInput

HEADLINE_MAX_LENGTH = 160


@dataclass(frozen=True)
class AlertTexts:
    """One language's texts: one CAP `info` block."""

    event: str
    headline: str
    description: str
    short_text: str
    area_description: str
    instruction: str = ""


@dataclass(frozen=True)
class AlertContent:
    """Everything an officer gives for an alert; `texts` is keyed by language (en, fr)."""

    category: str
    urgency: str
    severity: str
    certainty: str
    onset: datetime
    expires: datetime
    area: AlertArea
    texts: Mapping[str, AlertTexts]
    status: str = Alert.Status.ACTUAL
    web: str = ""


def language_name(language: str) -> str:
    return str(_("English")) if language == "en" else str(_("French"))


def check_texts(texts: Mapping[str, AlertTexts], errors: dict[str, list[str]]) -> None:
    """Add to `errors` what is missing or too long in each language's texts."""
    for language in ALERT_LANGUAGES:
        given = texts.get(language)
        name = language_name(language)
        if given is None:
            errors[f"texts.{language}"] = [
                _("The %(language)s text is missing.") % {"language": name}
            ]
            continue
        required = {
            "event": given.event,
            "headline": given.headline,
            "description": given.description,
            "short_text": given.short_text,
            "area_description": given.area_description,
        }
        for part, value in required.items():
            if not value.strip():
                errors[f"texts.{language}.{part}"] = [
                    _("This part of the %(language)s text is required.") % {"language": name}
                ]
        if len(given.short_text) > SHORT_TEXT_MAX_LENGTH:
            errors[f"texts.{language}.short_text"] = [
                _("The short text may have at most %(max)d characters (it has %(count)d).")
                % {"max": SHORT_TEXT_MAX_LENGTH, "count": len(given.short_text)}
            ]
        if len(given.headline) > HEADLINE_MAX_LENGTH:
            errors[f"texts.{language}.headline"] = [
                _("The headline may have at most %(max)d characters.")
                % {"max": HEADLINE_MAX_LENGTH}
            ]


def check_content(content: AlertContent) -> None:
    """Raise InvalidInput naming every field that is wrong."""
    errors: dict[str, list[str]] = {}
    choices = {
        "status": (content.status, Alert.Status.values),
        "category": (content.category, Alert.Category.values),
        "urgency": (content.urgency, Alert.Urgency.values),
        "severity": (content.severity, Alert.Severity.values),
        "certainty": (content.certainty, Alert.Certainty.values),
    }
    for name, (value, allowed) in choices.items():
        if value not in allowed:
            errors[name] = [_("Choose one of the values offered.")]
    if content.expires <= content.onset:
        errors["expires"] = [_("The alert must expire after its onset.")]
    if content.web:
        try:
            URLValidator(schemes=["https", "http"])(content.web)
        except ValidationError:
            errors["web"] = [_("Enter a full web address, starting with https://.")]
    check_texts(content.texts, errors)
    if errors:
        raise InvalidInput(_("The alert cannot be saved as it is."), fields=errors)


def default_sender() -> str:
    """The CAP sender of the city's alerts: an address at the portal's host."""
    host = urlsplit(settings.CITYHALL_BASE_URL).hostname or "localhost"
    return f"alerts@{host}"


def apply_content(alert: Alert, content: AlertContent) -> None:
    """Copy the checked content onto `alert` (not saved)."""
    alert.status = content.status
    alert.category = content.category
    alert.urgency = content.urgency
    alert.severity = content.severity
    alert.certainty = content.certainty
    alert.onset = content.onset
    alert.expires = content.expires
    alert.web = content.web
    alert.area = content.area.geojson()
    alert.area_kind = content.area.kind
    circle = content.area.circle
    alert.circle_latitude = circle.latitude if circle else None
    alert.circle_longitude = circle.longitude if circle else None
    alert.circle_radius_km = circle.radius_km if circle else None


def save_texts_and_districts(alert: Alert, content: AlertContent) -> None:
    """Replace the saved alert's texts and districts with the content's."""
    AlertText.objects.filter(alert=alert).delete()
    AlertText.objects.bulk_create(
        AlertText(
            alert=alert,
            language=language,
            event=texts.event.strip(),
            headline=texts.headline.strip(),
            description=texts.description.strip(),
            instruction=texts.instruction.strip(),
            short_text=texts.short_text.strip(),
            area_description=texts.area_description.strip(),
        )
        for language, texts in content.texts.items()
        if language in ALERT_LANGUAGES
    )
    alert.districts.set(content.area.districts)


def content_of(alert: Alert) -> AlertContent:
    """The content an alert was saved with, to start an update or a cancellation from."""
    circle = None
    if alert.circle_latitude is not None and alert.circle_longitude is not None:
        circle = Circle(alert.circle_latitude, alert.circle_longitude, alert.circle_radius_km or 0)
    shape = alert.area_geometry()
    assert isinstance(shape, Polygon | MultiPolygon)
    area = AlertArea(alert.area_kind, shape, districts=tuple(alert.districts.all()), circle=circle)
    texts = {
        text.language: AlertTexts(
            event=text.event,
            headline=text.headline,
            description=text.description,
            short_text=text.short_text,
            area_description=text.area_description,
            instruction=text.instruction,
        )
        for text in alert.texts.all()
    }
    return AlertContent(
        category=alert.category,
        urgency=alert.urgency,
        severity=alert.severity,
        certainty=alert.certainty,
        onset=alert.onset,
        expires=alert.expires,
        area=area,
        texts=texts,
        status=alert.status,
        web=alert.web,
    )
