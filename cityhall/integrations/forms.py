"""Forms for the webhook pages of the back office and of the portal's partner area. They check
shape; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import PartnerOrganisation
from cityhall.catalog.models import Department
from cityhall.core.forms import PublicIdChoiceField
from cityhall.integrations.models import WebhookDelivery, WebhookEvent
from cityhall.integrations.services import SubscriptionOwner


class WebhookEndpointForm(forms.Form):
    """Where events go, and which events: the fields every new subscription has."""

    target_url = forms.URLField(
        label=_("Address that receives the events"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "It must start with https:// and lead to the public internet, not to a private network."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class WebhookSubscriptionForm(WebhookEndpointForm):
    """A new subscription in the back office: whose it is, where events go, which events."""

    partner = PublicIdChoiceField(
        label=_("Partner organisation"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("None: this is a city system"),
        help_text=_("A partner receives events only for requests assigned to it."),
    )
    city_system = forms.CharField(
        label=_("Name of the city system"),
        max_length=100,
        required=False,
        help_text=_("Leave empty for a partner. For example “Asset management”."),
    )
    department = PublicIdChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("The whole city"),
        help_text=_("A city system receives the events of this department's requests only."),
    )
    field_order = ["partner", "city_system", "department", "target_url", "events"]

    def __init__(
        self,
        *args: Any,
        partners: QuerySet[PartnerOrganisation],
        departments: QuerySet[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        partner_field = self.fields["partner"]
        department_field = self.fields["department"]
        assert isinstance(partner_field, PublicIdChoiceField)  # declared above
        assert isinstance(department_field, PublicIdChoiceField)  # declared above
        partner_field.queryset = partners
        department_field.queryset = departments

    def owner(self) -> SubscriptionOwner:
        """Whose subscription the cleaned data describe."""
        return SubscriptionOwner(
            partner=self.cleaned_data["partner"],
            city_system=self.cleaned_data["city_system"],
            department=self.cleaned_data["department"],
        )


class PartnerWebhookForm(WebhookEndpointForm):
    """A partner's new subscription, for one of the organisations its manager manages."""

    partner = PublicIdChoiceField(
        label=_("Organisation"),
        queryset=PartnerOrganisation.objects.none(),
        empty_label=None,
        help_text=_("Events come only for requests the city assigned to this organisation."),
    )
    field_order = ["partner", "target_url", "events"]

    def __init__(self, *args: Any, partners: QuerySet[PartnerOrganisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_field = self.fields["partner"]
        assert isinstance(partner_field, PublicIdChoiceField)  # declared above
        partner_field.queryset = partners

    def owner(self) -> SubscriptionOwner:
        """Whose subscription the cleaned data describe."""
        return SubscriptionOwner(partner=self.cleaned_data["partner"])


class DeliveryFilterForm(forms.Form):
    """The delivery log's filters (all optional)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *WebhookDelivery.Status.choices],
        required=False,
    )
    event = forms.ChoiceField(
        label=_("Event"), choices=[("", _("Any event")), *WebhookEvent.choices], required=False
    )
    since = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
