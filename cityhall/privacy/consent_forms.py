"""The form behind each purpose's button on the privacy choices page: give or withdraw."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.privacy.purposes import all_purposes

GIVE = "give"
WITHDRAW = "withdraw"


def _consent_purpose_choices() -> list[tuple[str, str]]:
    return [(p.code, str(p.name)) for p in all_purposes() if p.needs_consent]


class ConsentDecisionForm(forms.Form):
    """One decision: the purpose (a hidden field) and the button pressed (`decision`)."""

    purpose = forms.ChoiceField(choices=_consent_purpose_choices, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[(GIVE, _("Allow")), (WITHDRAW, _("Withdraw"))])
