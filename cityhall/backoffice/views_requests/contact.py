"""Opening a citizen's contact details on a request's page, with a reason (audited).

The page shows the contact details and private answers only to a staff member who gave a
reason in the last `CONTACT_REVEAL_MINUTES` (`servicerequests.services.contact_reveals`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.forms_requests import ContactRevealForm
from cityhall.backoffice.views_requests.common import actor_of, load_for_staff
from cityhall.backoffice.views_requests.detail import handle_form
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services.contact_reveals import reveal_contact_details


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_reveal_contact(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Show the citizen's contact details and private answers, once a reason is given."""
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)

    def change(loaded: ServiceRequest, data: dict[str, Any]) -> str:
        reveal_contact_details(
            service_request=loaded, staff=actor, reason=data["reason"], note=data["note"]
        )
        return _("The citizen's details are shown; your reason is in the access log.")

    form = ContactRevealForm(request.POST)
    return handle_form(request, service_request, form_name="reveal_form", form=form, change=change)
