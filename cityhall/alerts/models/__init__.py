"""Emergency alerts (alert.py) and the people and places they reach (subscriber.py)."""

from cityhall.alerts.models.alert import ALERT_LANGUAGES, SHORT_TEXT_MAX_LENGTH, Alert, AlertText
from cityhall.alerts.models.incoming import IncomingAlert
from cityhall.alerts.models.partner_area import PartnerAlertArea
from cityhall.alerts.models.subscriber import AlertSubscriber

__all__ = [
    "ALERT_LANGUAGES",
    "SHORT_TEXT_MAX_LENGTH",
    "Alert",
    "AlertSubscriber",
    "AlertText",
    "IncomingAlert",
    "PartnerAlertArea",
]
