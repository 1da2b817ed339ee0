"""The privacy officer's access log: who looked at which citizen's request, when and why.

Filtered by staff member, citizen (their account's email) and period, with unusual patterns
flagged (`servicerequests.staff_access_log.Flag`). `?format=csv` with a citizen's email
downloads the answer to that citizen's access request.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.views_requests.common import actor_of
from cityhall.servicerequests.staff_access_log import (
    Access,
    Flag,
    access_log_for_privacy_officer,
    access_report_for_citizen,
    staff_member_by_email,
)

#: The period shown when none is chosen.
DEFAULT_DAYS = 7


class AccessLogFilterForm(forms.Form):
    """The log's filters, sent with GET."""

    staff_email = forms.EmailField(label=gettext_lazy("Staff member's email"), required=False)
    citizen_email = forms.EmailField(label=gettext_lazy("Citizen's email"), required=False)
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_staff_email(self) -> str:
        email: str = self.cleaned_data["staff_email"]
        if email and staff_member_by_email(email) is None:
            raise forms.ValidationError(_("No staff member has this email."))
        return email


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def flag_labels() -> dict[str, str]:
    return {
        Flag.MANY_FILES: _("Many requests in an hour"),
        Flag.OUTSIDE_DEPARTMENTS: _("Outside their departments"),
        Flag.NOT_FOR_HANDLING: _("Not for handling the request"),
    }


@staff_member_required(capability=Capability.READ_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The access log as a page; with `format=csv` and a citizen's email, their report."""
    actor = actor_of(request)
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    since_day = filters.get("since") or today - timedelta(days=DEFAULT_DAYS - 1)
    until_day = filters.get("until") or today
    citizen_email = filters.get("citizen_email", "")
    if request.GET.get("format") == "csv" and citizen_email:
        report = access_report_for_citizen(actor=actor, citizen_email=citizen_email)
        return _citizen_report(report)
    staff_email = filters.get("staff_email", "")
    log = access_log_for_privacy_officer(
        actor=actor,
        since=_moment(since_day),
        until=_moment(until_day + timedelta(days=1)),
        staff=staff_member_by_email(staff_email) if staff_email else None,
        citizen_email=citizen_email,
    )
    labels = flag_labels()
    return render(
        request,
        "backoffice/privacy/access_log.html",
        {
            "form": form,
            "log": log,
            "since_day": since_day,
            "until_day": until_day,
            "citizen_email": citizen_email,
            "flag_counts": [(labels[flag], log.flagged.get(flag, 0)) for flag in labels],
            "flag_labels": labels,
            "threshold": _threshold(),
        },
    )


def _threshold() -> int:
    return int(settings.STAFF_READS_UNUSUAL_PER_HOUR)


CSV_COLUMNS = ["when", "staff_member", "staff_email", "roles", "request", "what", "reason", "note"]


def _citizen_report(accesses: list[Access]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="access-report-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for access in accesses:
        writer.writerow(
            [
                timezone.localtime(access.at).isoformat(timespec="seconds"),
                access.staff_name or access.partner_name,
                access.staff_email,
                "; ".join(access.roles),
                access.tracking_number or access.request_id,
                _("Opened the contact details") if access.is_reveal else _("Opened the request"),
                access.reason_label,
                access.note,
            ]
        )
    return response
