"""Forms of the staff work queue: the queue's filters, a request's actions, bulk actions.

Each form only checks the shape of what was sent; the servicerequests services decide whether
the change is allowed, and their errors are attached with `show_service_error`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django import forms
from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import Team
from cityhall.backoffice.views_requests.sla_states import SlaState
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services.contact_reveals import (
    REASON_NOTE_MAX_LENGTH,
    AccessReason,
)

Status = ServiceRequest.Status


class Assignment(TextChoices):
    ANYONE = "", _("Anyone")
    MINE = "mine", _("Assigned to me")
    MY_TEAMS = "my_teams", _("My teams' requests")
    UNASSIGNED = "unassigned", _("Unassigned")
    PARTNER = "partner", _("Handed to a partner")


class QueueOrder(TextChoices):
    DUE = "due", _("Due date, soonest first")
    AGE = "age", _("Age, oldest first")
    PRIORITY = "priority", _("Priority, most urgent first")


class BulkAction(TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    ASSIGN_TO_ME = "assign_to_me", _("Assign to me")


def _set_choices(
    form: forms.Form, name: str, blank: str | Promise, choices: Iterable[tuple[str, Any]]
) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # declared below
    field.choices = [("", blank), *choices] if blank else list(choices)


class QueueFilterForm(forms.Form):
    """The queue's filters and order, sent with GET so that they work without JavaScript."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    sla = forms.ChoiceField(label=_("SLA"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    assigned = forms.ChoiceField(label=_("Assigned"), required=False, choices=Assignment)
    order = forms.ChoiceField(label=_("Sort by"), required=False, choices=QueueOrder)

    def __init__(
        self,
        data: Any,
        *,
        services: Iterable[tuple[str, str]],
        districts: Iterable[tuple[str, str]],
        teams: Iterable[tuple[str, str]] = (),
    ) -> None:
        super().__init__(data)
        _set_choices(self, "status", _("Open (any)"), Status.choices)
        _set_choices(self, "service", _("Any service"), services)
        _set_choices(self, "district", _("Any district"), districts)
        _set_choices(self, "priority", _("Any priority"), ServiceRequest.Priority.choices)
        _set_choices(self, "sla", _("Any"), SlaState.choices)
        _set_choices(self, "team", _("Any team"), teams)


class StatusChangeForm(forms.Form):
    """Move a request to one of the statuses the transition table allows from its status."""

    to_status = forms.ChoiceField(label=_("New status"))
    public_note = forms.CharField(
        label=_("Public note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter and the followers see this note."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see this note."),
    )

    def __init__(self, data: Any = None, *, allowed: Iterable[str]) -> None:
        super().__init__(data, prefix="status")
        labels = dict(Status.choices)
        _set_choices(self, "to_status", "", [(value, labels[value]) for value in allowed])


#: AssignForm values that name no staff member.
ASSIGN_TO_ME, ASSIGN_TO_NOBODY = "me", "nobody"


class AssignForm(forms.Form):
    """Take the request, give it to a colleague of its department, or back to the pool."""

    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, data: Any = None, *, staff: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(data, prefix="assign")
        _set_choices(
            self,
            "assignee",
            "",
            [
                (ASSIGN_TO_ME, _("Me")),
                (ASSIGN_TO_NOBODY, _("Nobody (back to the department's pool)")),
                *staff,
            ],
        )


class RerouteForm(forms.Form):
    """Hand the request to another department's team, saying why."""

    department = forms.ChoiceField(label=_("Department"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Staff of both teams see it in the timeline."),
    )

    def __init__(self, data: Any = None, *, departments: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(data, prefix="reroute")
        _set_choices(self, "department", _("Choose a department"), departments)


class PartnerForm(forms.Form):
    """Hand the request to a partner organisation, or take it back."""

    partner = forms.ChoiceField(label=_("Partner organisation"), required=False)

    def __init__(self, data: Any = None, *, partners: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(data, prefix="partner")
        _set_choices(self, "partner", _("None (the city does the work)"), partners)


class TeamForm(forms.Form):
    """Give the request to a team of its department, or take it back from its team."""

    team = forms.ChoiceField(
        label=_("Team"),
        required=False,
        help_text=_("The person assigned keeps the request only if they are in the team."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        teams: Iterable[tuple[str, str]] = (),
        current: Team | None = None,
    ) -> None:
        super().__init__(data, prefix="team")
        _set_choices(self, "team", _("No team (the department's pool)"), teams)
        if current is not None:
            self.fields["team"].initial = str(current.public_id)


class DueDateForm(forms.Form):
    """Move the due date; the citizen reads the reason beside the new date."""

    due_at = forms.DateTimeField(
        label=_("New due date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("The citizen sees this reason on the request's status page."),
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="due")


class PublicUpdateForm(forms.Form):
    """A note for the reporter and followers, without changing the status."""

    public_note = forms.CharField(
        label=_("Update for the citizen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter and the followers see this update."),
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="update")


class InternalNoteForm(forms.Form):
    """A note for staff only, added to the timeline without changing the status."""

    internal_note = forms.CharField(
        label=_("Note for staff"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see this note; the citizen is not told."),
        error_messages={"required": _("Write the note.")},
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="note")


class MergeForm(forms.Form):
    """Mark the request as a duplicate of an earlier one (a likely duplicate the page lists)."""

    original = forms.UUIDField(widget=forms.HiddenInput)


class MergeIntoForm(forms.Form):
    """Mark the request as a duplicate of any other the staff member handles."""

    prefix = "merge"

    tracking_number = forms.CharField(
        label=_("Tracking number of the request to keep"),
        help_text=_("This request becomes its duplicate; its followers follow the other one."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class PublicIdListField(forms.Field):
    """Several public ids sent under one name (the queue's checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[UUID]:
        if not value:
            return []
        try:
            return [UUID(str(item)) for item in value]
        except ValueError as error:
            raise forms.ValidationError(
                _("Select requests from the queue."), code="invalid"
            ) from error


class BulkActionForm(forms.Form):
    """One action applied to several requests of the queue."""

    action = forms.ChoiceField(label=_("Action"), choices=BulkAction)
    requests = PublicIdListField(
        label=_("Requests"), error_messages={"required": _("Select at least one request.")}
    )


class ContactRevealForm(forms.Form):
    """Why the staff member opens the citizen's contact details and private answers."""

    prefix = "reveal"

    reason = forms.ChoiceField(
        label=_("Why do you need the citizen's details?"),
        choices=AccessReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("In a few words, if another reason"),
        help_text=_(
            "Your own words, shown to the citizen on their access log: do not repeat their "
            "personal details."
        ),
        max_length=REASON_NOTE_MAX_LENGTH,
        required=False,
    )
