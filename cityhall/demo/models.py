"""The record of the demo city loaded into this database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import BaseModel


class DemoCity(BaseModel):
    """The demo city in this database, and exactly what loading it created.

    There is at most one. Rebuilding removes only what `created` lists, so data a person
    added beside the demo city survives a reset.
    """

    seed = models.BigIntegerField(_("seed"))
    #: Lists by kind: "departments" (codes), "accounts" (emails), "partners" (names),
    #: "districts" (codes), "facilities" (source ids), "service_requests" (tracking numbers
    #: of the past requests), and "address_prefix" (a source-id prefix shared by every demo
    #: address).
    created = models.JSONField(_("created objects"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demo city")
        verbose_name_plural = _("demo cities")

    def __str__(self) -> str:
        return f"demo city (seed {self.seed})"
