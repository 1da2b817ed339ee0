"""The service catalog: departments, topics, services with their forms, SLAs and routing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import BaseModel


class Department(BaseModel):
    """A unit of the city administration that owns services and employs staff."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en


class Language(models.TextChoices):
    """The two languages every catalog text is written in."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


def language_code(language: str | None) -> str:
    """ "fr" for any French locale ("fr", "fr-ca"…), otherwise "en"."""
    return Language.FRENCH if (language or "en").lower().startswith("fr") else Language.ENGLISH


class BilingualNameMixin:
    """`name` in the active language, `name_in(language)` in a given one."""

    name_en: str
    name_fr: str

    def name_in(self, language: str | None) -> str:
        return self.name_fr if language_code(language) == Language.FRENCH else self.name_en

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_in(get_language())


class Topic(BilingualNameMixin, BaseModel):
    """A heading citizens browse the catalog by ("Snow", "Waste and recycling"…)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Service(BilingualNameMixin, BaseModel):
    """Something a citizen can ask the city for; `code` is the Open311 `service_code`.

    An empty `districts` set means the service applies city-wide.
    """

    class SlaCalendar(models.TextChoices):
        BUSINESS_HOURS = "business_hours", _("Business hours")
        CALENDAR = "calendar", _("Calendar hours")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    #: Search terms per language; keywords are topics, synonyms are other names of the service.
    keywords_en = models.JSONField(_("keywords (English)"), default=list, blank=True)
    keywords_fr = models.JSONField(_("keywords (French)"), default=list, blank=True)
    synonyms_en = models.JSONField(_("synonyms (English)"), default=list, blank=True)
    synonyms_fr = models.JSONField(_("synonyms (French)"), default=list, blank=True)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="services")
    districts = models.ManyToManyField(
        "places.District", blank=True, related_name="catalog_services"
    )
    is_active = models.BooleanField(_("listed in the catalog"), default=True)
    accepts_requests = models.BooleanField(_("accepts new requests"), default=True)
    requires_location = models.BooleanField(_("location required"), default=False)
    requires_photo = models.BooleanField(_("photo required"), default=False)
    allows_anonymous = models.BooleanField(_("anonymous requests allowed"), default=False)
    #: Locations of requests for a sensitive service are coarsened in every public output.
    is_sensitive = models.BooleanField(_("sensitive"), default=False)
    sla_hours = models.PositiveIntegerField(_("target time to resolve (hours)"), default=72)
    sla_calendar = models.CharField(
        _("SLA counted in"), max_length=20, choices=SlaCalendar, default=SlaCalendar.BUSINESS_HOURS
    )
    #: Two requests closer than this, and younger than the window, are duplicate candidates.
    duplicate_radius_m = models.PositiveIntegerField(_("duplicate distance (metres)"), default=50)
    duplicate_window_hours = models.PositiveIntegerField(_("duplicate age (hours)"), default=72)

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sla_hours__gt=0), name="service_sla_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(sla_calendar__in=["business_hours", "calendar"]),
                name="service_sla_calendar_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def description_in(self, language: str | None) -> str:
        fr = language_code(language) == Language.FRENCH
        return self.description_fr if fr else self.description_en

    @property
    def description(self) -> str:
        """The description in the active language."""
        return self.description_in(get_language())


class ServiceField(BaseModel):
    """One extra question of a service's request form (an Open311 attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE_VALUE_LIST = "singlevaluelist", _("Single choice")
        MULTI_VALUE_LIST = "multivaluelist", _("Multiple choice")

    LIST_DATATYPES = frozenset({Datatype.SINGLE_VALUE_LIST, Datatype.MULTI_VALUE_LIST})

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fields")
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype)
    is_required = models.BooleanField(_("required"), default=False)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    help_text_en = models.CharField(_("help text (English)"), max_length=500, blank=True)
    help_text_fr = models.CharField(_("help text (French)"), max_length=500, blank=True)
    #: Staff-only answers: never shown in public outputs (Open311 GET, open data).
    is_private = models.BooleanField(_("private"), default=False)

    class Meta:
        ordering = ["service_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="service_field_code_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    datatype__in=["string", "number", "datetime", "text", "singlevaluelist",
                                  "multivaluelist"]
                ),
                name="service_field_datatype_valid",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.service.code}.{self.code}"

    @property
    def is_list(self) -> bool:
        return self.datatype in self.LIST_DATATYPES

    def label_in(self, language: str | None) -> str:
        return self.label_fr if language_code(language) == Language.FRENCH else self.label_en

    def help_text_in(self, language: str | None) -> str:
        fr = language_code(language) == Language.FRENCH
        return self.help_text_fr if fr else self.help_text_en


class ServiceFieldChoice(BilingualNameMixin, BaseModel):
    """One allowed value of a single- or multiple-choice field."""

    field = models.ForeignKey(ServiceField, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(_("key"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["field_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["field", "key"], name="service_field_choice_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.field}={self.key}"


class RoutingRule(BaseModel):
    """Sends a service's requests to another department, by district and/or a field's answer.

    Rules are tried in `order`; the first that matches wins, and the service's own department
    takes whatever no rule matches.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="routing_rules")
    order = models.PositiveSmallIntegerField(_("order"))
    district = models.ForeignKey(
        "places.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    field_code = models.SlugField(_("field code"), max_length=60, blank=True)
    field_value = models.CharField(_("field value"), max_length=200, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["service_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["service", "order"], name="routing_rule_order_unique"),
            models.CheckConstraint(
                condition=models.Q(field_code="", field_value="")
                | (~models.Q(field_code="") & ~models.Q(field_value="")),
                name="routing_rule_field_code_and_value_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} #{self.order} → {self.department.code}"
