"""The purposes for which the city uses personal data: the one list the code and the register share.

A purpose is declared once, in code, by the domain that uses the data (`register_purpose` in the
domain's `personal_data.py`). Purposes based on consent are what citizens give and withdraw on
their privacy page; the others (the public task of handling a request, a legal obligation) are
listed in the records of processing but cannot be withdrawn, because the city needs them to serve.
Every use of personal data for a consent purpose asks `cityhall.privacy.consents.has_consent`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    """Why the city may process the data (GDPR art. 6; Law 25 and PIPEDA speak of consent and
    of what is necessary for the service)."""

    CONSENT = "consent", _("Consent of the person")
    PUBLIC_TASK = "public_task", _("A public service the person asked for")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation of the city")


@dataclass(frozen=True)
class Purpose:
    """One purpose of processing.

    `version` changes whenever the text shown to citizens (`name` and `explanation`) changes
    in meaning; a consent given to an older version is still recorded with the text shown then.
    `default_given` is only for purposes a citizen expects without asking (none by default):
    privacy by default means withdrawn until given.
    """

    code: str
    name: str | Promise
    explanation: str | Promise
    basis: LegalBasis
    data_categories: tuple[str | Promise, ...]
    recipients: tuple[str | Promise, ...] = field(default=())
    version: int = 1
    default_given: bool = False

    @property
    def needs_consent(self) -> bool:
        return self.basis == LegalBasis.CONSENT


_PURPOSES: dict[str, Purpose] = {}


def register_purpose(purpose: Purpose) -> Purpose:
    """Declare a purpose; declaring the same code twice with a different definition is an error."""
    known = _PURPOSES.get(purpose.code)
    if known is not None and known != purpose:
        raise ValueError(f"purpose {purpose.code!r} is declared twice")
    _PURPOSES[purpose.code] = purpose
    return purpose


def purpose(code: str) -> Purpose:
    """The declared purpose `code`; KeyError for an undeclared one (a programming error)."""
    return _PURPOSES[code]


def all_purposes() -> list[Purpose]:
    """Every declared purpose, consent purposes first, then by code."""
    return sorted(_PURPOSES.values(), key=lambda p: (not p.needs_consent, p.code))


PERSONALIZATION = register_purpose(
    Purpose(
        code="personalization",
        name=_("Personal dashboard and recommendations"),
        explanation=_(
            "Use your places, interests, household and what you used on the portal to show you "
            "the services, events and news that fit your life, and to say why."
        ),
        basis=LegalBasis.CONSENT,
        data_categories=(_("Profile"), _("Places"), _("Use of the portal")),
    )
)
ANALYTICS = register_purpose(
    Purpose(
        code="analytics",
        name=_("Measuring how the portal is used"),
        explanation=_(
            "Count, without your name, which pages and services you use, so that the city can "
            "improve the ones people struggle with."
        ),
        basis=LegalBasis.CONSENT,
        data_categories=(_("Use of the portal"),),
    )
)
RESEARCH = register_purpose(
    Purpose(
        code="research",
        name=_("Research and surveys"),
        explanation=_(
            "Invite you to surveys about city services and use your pseudonymised requests in "
            "studies that improve them."
        ),
        basis=LegalBasis.CONSENT,
        data_categories=(_("Contact details"), _("Requests")),
    )
)
PARTNER_SHARING = register_purpose(
    Purpose(
        code="partner_sharing",
        name=_("Sharing a request with the partner who handles it"),
        explanation=_(
            "Give your name and contact details to the utility, contractor or community group "
            "that handles your request, so that they can reach you about it."
        ),
        basis=LegalBasis.CONSENT,
        data_categories=(_("Contact details"),),
        recipients=(_("Partner organisations that handle requests"),),
    )
)
