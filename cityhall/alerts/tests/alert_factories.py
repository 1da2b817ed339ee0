"""Factories for alerts: officers, texts in both languages, content and stored alerts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from cityhall.accounts.models import StaffRole, User
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.alerts.areas import AlertArea, area_from_districts
from cityhall.alerts.models import Alert, AlertText
from cityhall.alerts.services import AlertContent, AlertTexts
from cityhall.places.tests.factories import DistrictFactory


def officer() -> User:
    """A communications officer city-wide: they draft, approve and reject alerts."""
    role = StaffRoleFactory(role=StaffRole.Role.COMMUNICATIONS_OFFICER, department=None)
    user: User = role.user
    return user


def texts(**overrides: Any) -> dict[str, AlertTexts]:
    """Texts in English and French; `overrides` change both languages' parts."""
    english = {
        "event": "Flood warning",
        "headline": "Flooding along the river",
        "description": "The river is rising quickly after heavy rain.",
        "instruction": "Move to higher ground and avoid the riverbanks.",
        "short_text": "Flood warning: move away from the river now.",
        "area_description": "Riverside district",
    }
    french = {
        "event": "Avertissement d'inondation",
        "headline": "Inondation le long de la rivière",
        "description": "La rivière monte rapidement après de fortes pluies.",
        "instruction": "Gagnez un terrain plus élevé et évitez les berges.",
        "short_text": "Avertissement d'inondation : éloignez-vous de la rivière.",
        "area_description": "Quartier riverain",
    }
    return {
        "en": AlertTexts(**{**english, **overrides}),
        "fr": AlertTexts(**{**french, **overrides}),
    }


def content(area: AlertArea | None = None, **overrides: Any) -> AlertContent:
    """An Actual, Severe alert starting now for six hours over one district."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "category": Alert.Category.MET,
        "urgency": Alert.Urgency.IMMEDIATE,
        "severity": Alert.Severity.SEVERE,
        "certainty": Alert.Certainty.LIKELY,
        "onset": now,
        "expires": now + timedelta(hours=6),
        "area": area or area_from_districts([DistrictFactory()]),
        "texts": texts(),
    }
    fields.update(overrides)
    return AlertContent(**fields)


class AlertFactory(factory.django.DjangoModelFactory):
    """A published alert over a small square, with texts in both languages."""

    class Meta:
        model = Alert
        skip_postgeneration_save = True

    sender = "alerts@cityhall.example"
    category = Alert.Category.MET
    urgency = Alert.Urgency.IMMEDIATE
    severity = Alert.Severity.SEVERE
    certainty = Alert.Certainty.LIKELY
    onset = factory.LazyFunction(timezone.now)
    expires = factory.LazyAttribute(lambda o: o.onset + timedelta(hours=6))
    area = factory.LazyFunction(
        lambda: {
            "type": "Polygon",
            "coordinates": [
                [[-73.6, 45.5], [-73.58, 45.5], [-73.58, 45.52], [-73.6, 45.52], [-73.6, 45.5]]
            ],
        }
    )
    area_kind = Alert.AreaKind.POLYGON
    state = Alert.State.PUBLISHED
    drafted_by = factory.LazyFunction(officer)
    approved_by = factory.LazyFunction(officer)
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def with_texts(self, create: bool, extracted: object, **kwargs: Any) -> None:
        if not create:
            return
        for language, given in texts(**kwargs).items():
            AlertText.objects.create(alert=self, language=language, **given.__dict__)


def publish(**overrides: Any) -> Alert:
    """An alert drafted, submitted and approved through the services (fan-out left out)."""
    from unittest import mock

    from cityhall.alerts.services import approve_alert, draft_alert, submit_for_approval

    alert = draft_alert(actor=officer(), content=content(**overrides))
    submit_for_approval(alert=alert, actor=alert.drafted_by)
    with mock.patch("cityhall.alerts.services.workflow.start_fan_out"):
        return approve_alert(alert=alert, actor=officer())
