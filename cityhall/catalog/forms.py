"""Forms the back office uses to edit the catalog; they only shape input for the services.

Each form turns its cleaned data into the specs the services take (`ServiceDetails`,
`FieldSpec`, `RuleSpec`); the services keep every rule, so a form never decides alone
what is valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityhall.catalog.models import Department, Service, ServiceField, Topic
from cityhall.catalog.specs import ChoiceSpec, FieldSpec, RuleSpec, ServiceDetails
from cityhall.core.forms import PublicIdChoiceField, PublicIdMultipleChoiceField
from cityhall.places.models import District

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

TERMS_HELP = _("Separate them with commas.")
CHOICES_HELP = _(
    'One answer a line: key | English | French, such as "large | Large | Grand". '
    "Only for single and multiple choice fields."
)
TERM_FIELDS = ("keywords_en", "keywords_fr", "synonyms_en", "synonyms_fr")
FLAG_FIELDS = ("is_active", "accepts_requests", "requires_location", "requires_photo",
               "allows_anonymous", "is_sensitive")  # fmt: skip
#: The details a form field carries unchanged.
PLAIN_FIELDS = ("name_en", "name_fr", "description_en", "description_fr", "sla_hours",
                "sla_calendar", "duplicate_radius_m", "duplicate_window_hours",
                *FLAG_FIELDS)  # fmt: skip


def _terms_field(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=TERMS_HELP, max_length=5000)


class ServiceForm(forms.Form):
    """A service's department and details; `code` only when creating it."""

    code = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("Open311 service code; it cannot change.")
    )
    department = PublicIdChoiceField(label=_("Department"), queryset=Department.objects.none())
    topic = PublicIdChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea,
                                     required=False)  # fmt: skip
    description_fr = forms.CharField(label=_("Description (French)"), widget=forms.Textarea,
                                     required=False)  # fmt: skip
    keywords_en = _terms_field(_("Keywords (English)"))
    keywords_fr = _terms_field(_("Keywords (French)"))
    synonyms_en = _terms_field(_("Other names (English)"))
    synonyms_fr = _terms_field(_("Other names (French)"))
    districts = PublicIdMultipleChoiceField(
        label=_("Districts"), queryset=District.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None: the whole city."),
    )  # fmt: skip
    is_active = forms.BooleanField(label=_("Listed in the catalog"), required=False, initial=True)
    accepts_requests = forms.BooleanField(label=_("Accepts new requests"), required=False,
                                          initial=True)  # fmt: skip
    requires_location = forms.BooleanField(label=_("Location required"), required=False)
    requires_photo = forms.BooleanField(label=_("Photo required"), required=False)
    allows_anonymous = forms.BooleanField(label=_("Anonymous requests allowed"), required=False)
    is_sensitive = forms.BooleanField(
        label=_("Sensitive"), required=False,
        help_text=_("Request locations are blurred in public outputs."),
    )  # fmt: skip
    sla_hours = forms.IntegerField(label=_("Target time to resolve (hours)"), min_value=1,
                                   initial=72)  # fmt: skip
    sla_calendar = forms.ChoiceField(label=_("Counted in"), choices=Service.SlaCalendar.choices)
    duplicate_radius_m = forms.IntegerField(label=_("Duplicate distance (metres)"), min_value=0,
                                            initial=50)  # fmt: skip
    duplicate_window_hours = forms.IntegerField(label=_("Duplicate age (hours)"), min_value=0,
                                                initial=72)  # fmt: skip

    def __init__(
        self, *args: Any, departments: QuerySet[Department], with_code: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]  # a ModelChoiceField
        if not with_code:
            del self.fields["code"]

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        """The form's initial values for an existing service."""
        initial: dict[str, Any] = {name: getattr(service, name) for name in PLAIN_FIELDS}
        initial |= {name: ", ".join(getattr(service, name)) for name in TERM_FIELDS}
        initial |= {"department": service.department, "topic": service.topic,
                    "districts": list(service.districts.all())}  # fmt: skip
        return initial

    def details(self) -> ServiceDetails:
        """The cleaned data as the services take it."""
        data = self.cleaned_data
        values: dict[str, Any] = {name: data[name] for name in PLAIN_FIELDS}
        values |= {
            name: tuple(term.strip() for term in data[name].split(",") if term.strip())
            for name in TERM_FIELDS
        }
        return ServiceDetails(**values, topic=data["topic"], districts=tuple(data["districts"]))


class ServiceFieldForm(forms.Form):
    """One extra question of a service's form, with its answers for the choice types."""

    code = forms.SlugField(label=_("Code"), max_length=60)
    datatype = forms.ChoiceField(label=_("Type"), choices=ServiceField.Datatype.choices)
    label_en = forms.CharField(label=_("Question (English)"), max_length=200)
    label_fr = forms.CharField(label=_("Question (French)"), max_length=200)
    help_text_en = forms.CharField(label=_("Help (English)"), max_length=500, required=False)
    help_text_fr = forms.CharField(label=_("Help (French)"), max_length=500, required=False)
    is_required = forms.BooleanField(label=_("An answer is required"), required=False)
    is_private = forms.BooleanField(
        label=_("Private"), required=False, help_text=_("Answers are never published.")
    )
    order = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    choices = forms.CharField(label=_("Answers"), widget=forms.Textarea, required=False,
                              help_text=CHOICES_HELP)  # fmt: skip

    @classmethod
    def initial_for(cls, field: ServiceField) -> dict[str, Any]:
        """The form's initial values for an existing field."""
        names = ("code", "datatype", "label_en", "label_fr", "help_text_en", "help_text_fr",
                 "is_required", "is_private", "order")  # fmt: skip
        initial: dict[str, Any] = {name: getattr(field, name) for name in names}
        lines = [f"{c.key} | {c.name_en} | {c.name_fr}" for c in field.choices.all()]
        initial["choices"] = "\n".join(lines)
        return initial

    def clean_choices(self) -> tuple[ChoiceSpec, ...]:
        choices = []
        for number, line in enumerate(self.cleaned_data["choices"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(
                    gettext("Line %(number)d needs a key, an English and a French name.")
                    % {"number": number}
                )
            choices.append(ChoiceSpec(key=parts[0], name_en=parts[1], name_fr=parts[2]))
        return tuple(choices)

    def spec(self) -> FieldSpec:
        """The cleaned data as the services take it."""
        return FieldSpec(**self.cleaned_data)


class RoutingRulesForm(forms.Form):
    """A service's routing rules as lines of text, tried from the first line down."""

    rules = forms.CharField(
        label=_("Rules"),
        widget=forms.Textarea,
        required=False,
        help_text=_(
            "One rule a line: department code | district code | question code | answer. "
            'Leave a part empty when it does not matter, such as "roads | | blocking | road".'
        ),
    )

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        """The form's initial text for a service's current rules."""
        rules = service.routing_rules.select_related("department", "district")
        lines = [
            " | ".join(
                (
                    rule.department.code,
                    rule.district.code if rule.district else "",
                    rule.field_code,
                    rule.field_value,
                )
            )
            for rule in rules
        ]
        return {"rules": "\n".join(lines)}

    def clean_rules(self) -> list[RuleSpec]:
        rules = []
        for number, line in enumerate(self.cleaned_data["rules"].splitlines(), start=1):
            if line.strip():
                rules.append(_rule_from_line(number, line))
        return rules

    def specs(self) -> list[RuleSpec]:
        """The rules as the services take them."""
        rules: list[RuleSpec] = self.cleaned_data["rules"]
        return rules


def _rule_from_line(number: int, line: str) -> RuleSpec:
    parts = [part.strip() for part in line.split("|")]
    if len(parts) != 4:
        raise forms.ValidationError(
            gettext("Line %(number)d needs four parts separated by |.") % {"number": number}
        )
    department_code, district_code, field_code, field_value = parts
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        raise forms.ValidationError(
            gettext("Line %(number)d: no department has this code.") % {"number": number}
        )
    district = District.objects.filter(code=district_code).first() if district_code else None
    if district_code and district is None:
        raise forms.ValidationError(
            gettext("Line %(number)d: no district has this code.") % {"number": number}
        )
    return RuleSpec(department=department, district=district, field_code=field_code,
                    field_value=field_value)  # fmt: skip
