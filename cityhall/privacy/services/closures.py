"""Closing an account: asked for with the password (or a fresh sign-in), confirmed by a link
sent by email, carried out after a grace period (settings PRIVACY_CLOSURE_GRACE_DAYS) unless
cancelled, by erasing everything every source holds (privacy.erasure).

Staff accounts are not closed this way: their roles carry duties and records the city must
hand over first, so an administrator ends them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cityhall.privacy.erasure import erase_person
from cityhall.privacy.links import read_closure_token
from cityhall.privacy.models import AccountClosure

if TYPE_CHECKING:
    from cityhall.accounts.models import User

#: An account without a usable password (signed in by emailed links) proves it is its owner
#: by a sign-in this recent.
FRESH_SIGN_IN = timedelta(minutes=10)

REQUESTED = "privacy.account_closure_requested"
CONFIRMED = "privacy.account_closure_confirmed"
CANCELLED = "privacy.account_closure_cancelled"
ERASED = "privacy.account_erased"

_OPEN = (AccountClosure.Status.AWAITING_CONFIRMATION, AccountClosure.Status.SCHEDULED)


def may_close_own_account(user: User) -> bool:
    """Whether `user` may close their account themselves (not staff)."""
    return not user.is_staff and not user.staff_roles.exists()


def needs_fresh_sign_in(user: User) -> bool:
    """Whether `user` must sign in again to ask for closure (they have no password to give)."""
    if user.has_usable_password():
        return False
    return user.last_login is None or user.last_login < timezone.now() - FRESH_SIGN_IN


def open_closure_of(user: User) -> AccountClosure | None:
    """The person's closure waiting for confirmation or scheduled, if any."""
    return AccountClosure.objects.filter(user=user, status__in=_OPEN).first()


def request_account_closure(*, actor: User, password: str | None) -> AccountClosure:
    """Ask to close `actor`'s own account; a confirmation link is emailed.

    `password` is required when the account has one; otherwise the sign-in must be recent
    (FRESH_SIGN_IN). Asking again while waiting for confirmation sends a new link. Raises
    PermissionDenied for staff, InvalidInput for a wrong password or an old sign-in, Conflict
    when the closure is already scheduled.
    """
    from cityhall.privacy.tasks import send_closure_confirmation

    if not may_close_own_account(actor):
        raise PermissionDenied(_("Staff accounts are closed by the city's administrators."))
    if actor.has_usable_password():
        if not password or not actor.check_password(password):
            raise InvalidInput(fields={"password": [str(_("The password is not right."))]})
    elif needs_fresh_sign_in(actor):
        raise InvalidInput(_("Sign in again to close your account."))
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        closure = open_closure_of(actor)
        if closure is not None and closure.status == AccountClosure.Status.SCHEDULED:
            raise Conflict(_("Your account is already being closed."))
        if closure is None:
            closure = AccountClosure.objects.create(user=actor)
        record_audit_event(actor=actor, action=REQUESTED, target=closure)
        closure_id = closure.id
        transaction.on_commit(lambda: send_closure_confirmation.enqueue(closure_id))
    return closure


def confirm_account_closure(*, token: str) -> AccountClosure:
    """Schedule the closure a confirmation link names, after the grace period.

    Raises NotFound when the link is forged, expired, or its closure was cancelled or done.
    """
    public_id = read_closure_token(token)
    with transaction.atomic():
        closure = (
            AccountClosure.objects.select_for_update(of=("self",))
            .filter(public_id=public_id, status__in=_OPEN, user__isnull=False)
            .select_related("user")
            .first()
            if public_id is not None
            else None
        )
        if closure is None:
            raise NotFound(_("This link has expired or was already used."))
        if closure.status == AccountClosure.Status.SCHEDULED:
            return closure  # a second click changes nothing
        now = timezone.now()
        closure.status = AccountClosure.Status.SCHEDULED
        closure.confirmed_at = now
        closure.erase_after = now + timedelta(days=settings.PRIVACY_CLOSURE_GRACE_DAYS)
        closure.save()
        record_audit_event(actor=closure.user, action=CONFIRMED, target=closure)
    return closure


def cancel_account_closure(*, actor: User) -> AccountClosure:
    """Cancel `actor`'s pending closure; raises NotFound when there is none."""
    with transaction.atomic():
        closure = (
            AccountClosure.objects.select_for_update().filter(user=actor, status__in=_OPEN).first()
        )
        if closure is None:
            raise NotFound(_("Your account is not being closed."))
        closure.status = AccountClosure.Status.CANCELLED
        closure.cancelled_at = timezone.now()
        closure.save()
        record_audit_event(actor=actor, action=CANCELLED, target=closure)
    return closure


def closures_due(*, now: datetime | None = None) -> list[int]:
    """Ids of scheduled closures whose grace period is over."""
    due = AccountClosure.objects.filter(
        status=AccountClosure.Status.SCHEDULED, erase_after__lte=now or timezone.now()
    )
    return list(due.values_list("id", flat=True)[:100])


def carry_out_account_closure(*, closure_id: int, now: datetime | None = None) -> bool:
    """Erase the person of a scheduled closure whose grace period is over, in one transaction.

    The closure keeps when, never who; the audit line names the anonymised account by its
    public id and counts what was erased, with no personal data. Returns False when the
    closure is not due (cancelled meanwhile, done by another worker, or early).
    """
    now = now or timezone.now()
    with transaction.atomic():
        closure = (
            AccountClosure.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(id=closure_id, status=AccountClosure.Status.SCHEDULED, erase_after__lte=now)
            .first()
        )
        if closure is None or closure.user is None:
            return False
        user = closure.user
        if not may_close_own_account(user):
            # Became staff during the grace period: an administrator decides.
            closure.status = AccountClosure.Status.CANCELLED
            closure.cancelled_at = now
            closure.save()
            record_audit_event(actor=None, action=CANCELLED, target=closure)
            return False
        erased = erase_person(user)
        closure.user = None
        closure.status = AccountClosure.Status.COMPLETED
        closure.completed_at = now
        closure.save()
        record_audit_event(
            actor=None,
            action=ERASED,
            target=user,
            data={
                "closure": str(closure.public_id),
                "sources": {
                    code: {"deleted": done.deleted, "anonymised": done.anonymised}
                    for code, done in erased.items()
                },
            },
        )
    return True
