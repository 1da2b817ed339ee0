"""Who at the city looked at my file: each opening of the signed-in citizen's requests by
staff or a partner, and each opening of their contact details with the reason given.

The page names the department and role of whoever looked, not the person: the dates, the
purpose and the recipients are what a citizen is owed; a staff member's identity is given
through the privacy officer when a formal access request justifies it (docs/decisions/0019).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityhall.accounts.models import User
from cityhall.servicerequests.staff_access_log import accesses_for_citizen


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """The citizen's own access log, newest first."""
    user = request.user
    assert isinstance(user, User)  # login_required
    return render(
        request, "portal/account/access_log.html", {"accesses": accesses_for_citizen(citizen=user)}
    )
