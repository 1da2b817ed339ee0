"""What callers pass to the catalog's services: a service's details, a field, a routing rule.

Plain frozen dataclasses, so that the back office, the catalog importer and tests describe a
service the same way and the services stay within a handful of arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cityhall.catalog.models import Department, Service, ServiceField, Topic
from cityhall.places.models import District


@dataclass(frozen=True)
class ServiceDetails:
    """Everything about a service except its code and department."""

    name_en: str
    name_fr: str
    description_en: str = ""
    description_fr: str = ""
    keywords_en: tuple[str, ...] = ()
    keywords_fr: tuple[str, ...] = ()
    synonyms_en: tuple[str, ...] = ()
    synonyms_fr: tuple[str, ...] = ()
    topic: Topic | None = None
    #: Empty: the service applies city-wide.
    districts: tuple[District, ...] = ()
    is_active: bool = True
    accepts_requests: bool = True
    requires_location: bool = False
    requires_photo: bool = False
    allows_anonymous: bool = False
    is_sensitive: bool = False
    sla_hours: int = 72
    sla_calendar: str = Service.SlaCalendar.BUSINESS_HOURS
    duplicate_radius_m: int = 50
    duplicate_window_hours: int = 72


@dataclass(frozen=True)
class ChoiceSpec:
    """One answer offered by a single- or multiple-choice field."""

    key: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class FieldSpec:
    """One extra question; `choices` only for the list datatypes, in display order."""

    code: str
    datatype: str
    label_en: str
    label_fr: str
    is_required: bool = False
    help_text_en: str = ""
    help_text_fr: str = ""
    is_private: bool = False
    order: int = 0
    choices: tuple[ChoiceSpec, ...] = field(default=())

    @property
    def is_list(self) -> bool:
        return self.datatype in ServiceField.LIST_DATATYPES


@dataclass(frozen=True)
class RuleSpec:
    """Send requests to `department` when in `district` and/or when `field_code` = `field_value`."""

    department: Department
    district: District | None = None
    field_code: str = ""
    field_value: str = ""
