"""Who may open back-office pages: staff with a role, in a session that passed two-factor.

The session is marked verified only by `mark_session_verified`, which the sign-in pages call
after a TOTP code was accepted. Signing in on the portal (password or emailed link) is not
enough to open any back-office page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.accounts.selectors import roles_for_staff

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


def staff_member_required(*, roles: Iterable[str] | None = None) -> Callable[[View], View]:
    """Decorate a back-office view: staff only, two-factor verified, holding one of `roles`.

    Without a verified session the visitor is sent to the staff sign-in page (and back after
    it); a verified staff member without one of `roles` gets 403. `roles=None` admits any
    staff role. The decorated view carries `required_staff_roles` for checks over the URLs.
    """
    required = frozenset(roles) if roles is not None else None

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_verified_staff_session(request):
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('backoffice:sign_in')}?{query}")
            user = request.user
            assert isinstance(user, User)  # is_verified_staff_session checked it
            held = roles_for_staff(user)
            if not held or (required is not None and held.isdisjoint(required)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_staff_roles = required or frozenset({"any"})  # type: ignore[attr-defined]  # a marker for URL checks
        return wrapped  # type: ignore[return-value]  # same signature as `view`

    return decorator


def staff_actor(request: HttpRequest) -> User:
    """The signed-in staff member of a view guarded by `staff_member_required`."""
    user = request.user
    assert isinstance(user, User)  # staff_member_required let only a staff member through
    return user
