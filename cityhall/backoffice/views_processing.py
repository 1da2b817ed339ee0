"""The privacy officer's records of processing, with the tables behind each source and downloads.

`?format=json` and `?format=csv` give the same register as files for the officer's records.
"""

from __future__ import annotations

import csv
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.privacy.records_of_processing import (
    CSV_COLUMNS,
    records_of_processing,
    register_as_json,
    register_as_rows,
)


@staff_member_required(capability=Capability.HANDLE_PRIVACY_REQUESTS)
def processing_register(request: HttpRequest) -> HttpResponse:
    """The register as a page, or as a JSON or CSV download (`?format=`)."""
    register = records_of_processing()
    file_format = request.GET.get("format", "")
    file_name = f"records-of-processing-{timezone.localdate():%Y-%m-%d}"
    if file_format == "json":
        response = HttpResponse(
            json.dumps(register_as_json(register), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    elif file_format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(register_as_rows(register))
    else:
        return render(request, "backoffice/privacy/processing.html", {"register": register})
    response["Content-Disposition"] = f'attachment; filename="{file_name}.{file_format}"'
    return response
