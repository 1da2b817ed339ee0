"""Emergency alerts (alert.py) and the people and places they reach (subscriber.py)."""

from cityhall.alerts.models.alert import ALERT_LANGUAGES, SHORT_TEXT_MAX_LENGTH, Alert, AlertText

__all__ = ["ALERT_LANGUAGES", "SHORT_TEXT_MAX_LENGTH", "Alert", "AlertText"]
