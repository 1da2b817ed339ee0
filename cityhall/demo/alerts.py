"""The demo city's alerts: one freezing-rain warning from last winter, long expired, and the
snow contractor's service area, where its managers may draft alerts for the city to approve.

No alert is current, so the demo city never looks like it is in crisis; the expired one shows
the alert pages, its CAP document and the officers' history. It was drafted by the demo's
communications officer and approved by the city administrator, as the two-person rule wants;
it is written directly because the services rightly refuse to publish an alert in the past.
"""

from __future__ import annotations

import datetime as dt

from cityhall.accounts.models import PartnerOrganisation, User
from cityhall.alerts.areas import area_from_districts
from cityhall.alerts.models import Alert, AlertText
from cityhall.alerts.partner_drafting import set_service_area
from cityhall.alerts.services import default_sender
from cityhall.demo.generator.administration import SNOW_CONTRACTOR
from cityhall.places.models import District

DRAFTER_EMAIL = "communications@example.org"
APPROVER_EMAIL = "admin@example.org"
#: How long ago the warning began, and how long it lasted.
AGE = dt.timedelta(days=40)
DURATION = dt.timedelta(hours=18)

TEXTS = {
    "en": {
        "event": "Freezing rain warning",
        "headline": "Freezing rain overnight: icy streets and sidewalks",
        "description": (
            "Freezing rain is expected from 6 p.m. until noon tomorrow. Streets and sidewalks "
            "will be very slippery, and falling branches may bring down power lines."
        ),
        "instruction": (
            "Avoid driving unless you must. Keep at least 10 metres away from fallen power "
            "lines and call 911 to report them. Check on elderly neighbours."
        ),
        "short_text": (
            "Freezing rain tonight until noon: icy streets and sidewalks. Avoid driving, keep "
            "away from fallen power lines, check on elderly neighbours."
        ),
    },
    "fr": {
        "event": "Avertissement de pluie verglaçante",
        "headline": "Pluie verglaçante cette nuit : rues et trottoirs glacés",
        "description": (
            "De la pluie verglaçante est prévue de 18 h jusqu'à midi demain. Les rues et les "
            "trottoirs seront très glissants et des branches pourraient faire tomber des fils "
            "électriques."
        ),
        "instruction": (
            "Évitez de conduire si ce n'est pas nécessaire. Restez à au moins 10 mètres des fils "
            "électriques tombés et composez le 911 pour les signaler. Prenez des nouvelles de "
            "vos voisins âgés."
        ),
        "short_text": (
            "Pluie verglaçante cette nuit jusqu'à midi : rues et trottoirs glacés. Évitez de "
            "conduire, éloignez-vous des fils tombés, pensez à vos voisins âgés."
        ),
    },
}
AREA_DESCRIPTIONS = {"en": "The whole city", "fr": "Toute la ville"}


def create_demo_alerts(*, now: dt.datetime) -> list[str]:
    """Write last winter's expired warning over every district; returns its identifier."""
    districts = list(District.objects.order_by("code"))
    drafter = User.objects.filter(email=DRAFTER_EMAIL).first()
    approver = User.objects.filter(email=APPROVER_EMAIL).first()
    if not districts or drafter is None or approver is None:
        return []
    area = area_from_districts(districts)
    onset = now - AGE
    alert = Alert.objects.create(
        sender=default_sender(),
        category=Alert.Category.MET,
        urgency=Alert.Urgency.EXPECTED,
        severity=Alert.Severity.SEVERE,
        certainty=Alert.Certainty.LIKELY,
        onset=onset,
        expires=onset + DURATION,
        area=area.geojson(),
        area_kind=area.kind,
        state=Alert.State.EXPIRED,
        drafted_by=drafter,
        submitted_at=onset - dt.timedelta(minutes=50),
        approved_by=approver,
        published_at=onset - dt.timedelta(minutes=30),
        ended_at=onset + DURATION,
    )
    alert.districts.set(districts)
    AlertText.objects.bulk_create(
        AlertText(
            alert=alert, language=language, area_description=AREA_DESCRIPTIONS[language], **texts
        )
        for language, texts in TEXTS.items()
    )
    return [alert.identifier]


def give_demo_partner_an_alert_area() -> None:
    """Give the snow contractor the northern half of the districts (by their centre), set by
    the city administrator as the back office would."""
    partner = PartnerOrganisation.objects.filter(name=SNOW_CONTRACTOR).first()
    administrator = User.objects.filter(email=APPROVER_EMAIL).first()
    districts = list(District.objects.order_by("-centroid_latitude"))
    if partner is None or administrator is None or not districts:
        return
    northern = districts[: max(1, len(districts) // 2)]
    set_service_area(actor=administrator, partner=partner, districts=northern)


def delete_demo_alerts(identifiers: list[str]) -> None:
    """Delete the demo's alerts (their texts go with them)."""
    Alert.objects.filter(identifier__in=identifiers).delete()
