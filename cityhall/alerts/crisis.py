"""Crisis mode: while a published Actual alert of severity Extreme or Severe is current,
every portal page shows a banner and the home page becomes the emergency page.

The banner's notices are read from the cache (one read per page) while no published alert
changes, and never past the next expiry among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from cityhall.alerts import selectors
from cityhall.alerts.caching import cached_while_unchanged
from cityhall.alerts.models import Alert


@dataclass(frozen=True)
class CrisisNotice:
    """What the banner says of one crisis alert, in both languages."""

    identifier: str
    severity: str
    headlines: dict[str, str]
    short_texts: dict[str, str]

    @property
    def headline(self) -> str:
        return self._in_language(self.headlines)

    @property
    def short_text(self) -> str:
        return self._in_language(self.short_texts)

    @staticmethod
    def _in_language(texts: dict[str, str]) -> str:
        language = (get_language() or "en")[:2]
        return texts.get(language) or texts.get("en", "")


def _notice(alert: Alert) -> CrisisNotice:
    texts = list(alert.texts.all())
    return CrisisNotice(
        identifier=alert.identifier,
        severity=alert.severity,
        headlines={text.language: text.headline for text in texts},
        short_texts={text.language: text.short_text for text in texts},
    )


def crisis_notices() -> tuple[CrisisNotice, ...]:
    """The current crisis alerts' notices, most severe first (empty outside a crisis)."""

    def build() -> tuple[tuple[CrisisNotice, ...], datetime | None]:
        alerts = selectors.crisis_alerts()
        next_change = min((alert.expires for alert in alerts), default=None)
        return tuple(_notice(alert) for alert in alerts), next_change

    return cached_while_unchanged("crisis", build)


def crisis(request: HttpRequest) -> dict[str, object]:
    """Context processor: `crisis_notices`, read only when a template asks for them."""
    return {"crisis_notices": SimpleLazyObject(crisis_notices)}
