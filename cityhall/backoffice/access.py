"""Who may open back-office pages: staff with a role, in a session that passed two-factor.

Each page names the `Capability` it needs; `accounts.permissions.PERMISSION_TABLE` says which
roles carry it, for these pages and the staff API alike.

The session is marked verified only by `mark_session_verified`, which the sign-in pages call
after a TOTP code was accepted. Signing in on the portal (password or emailed link) is not
enough to open any back-office page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability

VERIFIED_SESSION_KEY = "backoffice_verified_user"

View = TypeVar("View", bound=Callable[..., HttpResponse])


def mark_session_verified(request: HttpRequest, user: User) -> None:
    """Record in the (already signed-in) session that `user` passed the two-factor step."""
    request.session[VERIFIED_SESSION_KEY] = str(user.public_id)


def is_verified_staff_session(request: HttpRequest) -> bool:
    """Whether the signed-in user passed two-factor sign-in in this session."""
    user = request.user
    if not (isinstance(user, User) and user.is_active):
        return False
    return request.session.get(VERIFIED_SESSION_KEY) == str(user.public_id)


def staff_member_required(*, capability: Capability) -> Callable[[View], View]:
    """Decorate a back-office view: staff only, two-factor verified, holding `capability`.

    Without a verified session the visitor is sent to the staff sign-in page (and back after
    it); a verified staff member whose roles do not carry `capability` gets 403. The decorated
    view carries `required_capability`, which the role walk over the URLs reads.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_verified_staff_session(request):
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('backoffice:sign_in')}?{query}")
            user = request.user
            assert isinstance(user, User)  # is_verified_staff_session checked it
            if not has_capability(user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]  # read by the role walk
        return wrapped  # type: ignore[return-value]  # same signature as `view`

    return decorator


def staff_actor(request: HttpRequest) -> User:
    """The signed-in staff member of a view guarded by `staff_member_required`."""
    user = request.user
    assert isinstance(user, User)  # staff_member_required let only a staff member through
    return user
