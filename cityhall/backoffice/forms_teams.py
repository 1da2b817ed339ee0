"""Forms of the team pages. They check only the shape of what was sent; `save_team` decides."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class TeamNamesForm(forms.Form):
    """A team's names in both languages."""

    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=120)


class TeamCreateForm(TeamNamesForm):
    """A new team: its department first; members are chosen on the team's page next."""

    department = forms.ChoiceField(label=_("Department"))
    field_order = ["department", "name_en", "name_fr"]

    def __init__(self, data: Any = None, *, departments: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(data)
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)  # declared above
        field.choices = [("", _("Choose a department")), *departments]


class TeamEditForm(TeamNamesForm):
    """A team's names, members and whether it still takes requests."""

    members = forms.MultipleChoiceField(
        label=_("Members"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Agents, supervisors and administrators of the team's department."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive team keeps its requests but is offered for no new ones."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        initial: dict[str, Any] | None = None,
        staff: Iterable[tuple[str, str]] = (),
    ) -> None:
        super().__init__(data, initial=initial)
        field = self.fields["members"]
        assert isinstance(field, forms.MultipleChoiceField)  # declared above
        field.choices = list(staff)
