"""The scopes an API key may carry. An endpoint names the scope it needs.

Offer only scopes that some endpoint checks: a scope nothing reads would promise a power
that is not there, or grant one silently once an endpoint starts reading it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    OPEN311_WRITE = "open311:write", _("Submit Open311 service requests")
    REQUESTS_READ = "requests:read", _("Read service requests")
    REQUESTS_WRITE = "requests:write", _("Create and update service requests")
    ALERTS_WRITE = "alerts:write", _("Send CAP alerts to the city")
