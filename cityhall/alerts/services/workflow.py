"""An alert's way to publication: drafted, submitted, approved by a second person, published.

Officers holding PUBLISH_ALERTS draft and approve; a member of a partner organisation may
draft for it, and the city approves. The approver is never the drafter (the database refuses
it too). Publication starts the fan-out after commit.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import PartnerMembership, PartnerOrganisation, User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability
from cityhall.alerts.caching import public_alerts_changed
from cityhall.alerts.models import Alert
from cityhall.alerts.services.content import (
    AlertContent,
    apply_content,
    check_content,
    default_sender,
    save_texts_and_districts,
)
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied

State = Alert.State
#: States in which the drafter may still change the alert.
EDITABLE_STATES = frozenset({State.DRAFT, State.REJECTED})


def is_publisher(actor: User) -> bool:
    """Whether `actor` may draft, approve and reject the city's alerts."""
    return has_capability(actor, Capability.PUBLISH_ALERTS)


def is_partner_member(actor: User, partner: PartnerOrganisation) -> bool:
    return (
        partner.is_active
        and PartnerMembership.objects.filter(organisation=partner, user=actor).exists()
    )


def may_edit(actor: User, alert: Alert) -> bool:
    """Whether `actor` may change, submit or follow up `alert`: a publisher, or a member of
    the partner it was drafted for."""
    if is_publisher(actor):
        return True
    return alert.partner is not None and is_partner_member(actor, alert.partner)


def require_publisher(actor: User) -> None:
    if not is_publisher(actor):
        raise PermissionDenied(_("Only officers who publish alerts may do this."))


@transaction.atomic
def draft_alert(
    *, actor: User, content: AlertContent, partner: PartnerOrganisation | None = None
) -> Alert:
    """Save a new alert as a draft. Raises InvalidInput for wrong content, PermissionDenied
    for an actor who neither publishes alerts nor belongs to `partner`."""
    if not (is_publisher(actor) or (partner is not None and is_partner_member(actor, partner))):
        raise PermissionDenied(_("You may not draft alerts."))
    check_content(content)
    alert = Alert(sender=default_sender(), drafted_by=actor, partner=partner)
    return save_new_draft(alert, actor=actor, content=content)


def save_new_draft(alert: Alert, *, actor: User, content: AlertContent) -> Alert:
    """Store a checked new alert (a first alert, an update or a cancellation) and audit it."""
    apply_content(alert, content)
    alert.state = State.DRAFT
    alert.save()
    save_texts_and_districts(alert, content)
    record_audit_event(
        actor=actor,
        action="alerts.alert_drafted",
        target=alert,
        data={"msg_type": alert.msg_type, "status": alert.status, "area_kind": alert.area_kind},
    )
    return alert


@transaction.atomic
def edit_draft(*, alert: Alert, actor: User, content: AlertContent) -> Alert:
    """Replace a draft's (or a rejected alert's) content; a rejected alert becomes a draft."""
    locked = _locked(alert)
    if not may_edit(actor, locked):
        raise NotFound
    if locked.state not in EDITABLE_STATES:
        raise Conflict(_("Only a draft can be changed."))
    check_content(content)
    if locked.msg_type != Alert.MsgType.ALERT and locked.references is not None:
        # Follow-ups keep the status of the alert they follow.
        content = _with_status(content, locked.references.status)
    apply_content(locked, content)
    locked.state = State.DRAFT
    locked.rejected_by = None
    locked.rejection_reason = ""
    locked.save()
    save_texts_and_districts(locked, content)
    record_audit_event(actor=actor, action="alerts.alert_edited", target=locked)
    return _refreshed(alert)


@transaction.atomic
def submit_for_approval(*, alert: Alert, actor: User) -> Alert:
    """Ask a second person to approve the draft."""
    locked = _locked(alert)
    if not may_edit(actor, locked):
        raise NotFound
    if locked.state != State.DRAFT:
        raise Conflict(_("Only a draft can be submitted for approval."))
    if locked.expires <= timezone.now():
        raise InvalidInput(
            _("The alert has already expired: change its expiry first."),
            fields={"expires": [_("The expiry is in the past.")]},
        )
    locked.state = State.AWAITING_APPROVAL
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["state", "submitted_at", "updated_at"])
    record_audit_event(actor=actor, action="alerts.alert_submitted", target=locked)
    return _refreshed(alert)


@transaction.atomic
def approve_alert(*, alert: Alert, actor: User) -> Alert:
    """Approve and publish the alert; an update or cancellation ends the alert it follows.

    Raises PermissionDenied when `actor` does not publish alerts or drafted this one, Conflict
    when the alert is not awaiting approval, has expired, or follows an alert no longer
    published. The fan-out starts after commit.
    """
    require_publisher(actor)
    locked = _locked(alert)
    if locked.state != State.AWAITING_APPROVAL:
        raise Conflict(_("Only an alert awaiting approval can be approved."))
    if locked.drafted_by_id == actor.pk:
        raise PermissionDenied(_("A second person must approve the alert you drafted."))
    now = timezone.now()
    if locked.expires <= now:
        raise Conflict(_("The alert has already expired; it can no longer be published."))
    if locked.references_id is not None:
        _end_original(locked, actor=actor, now=now)
    locked.state = State.PUBLISHED
    locked.approved_by = actor
    locked.published_at = now
    locked.save(update_fields=["state", "approved_by", "published_at", "updated_at"])
    record_audit_event(
        actor=actor,
        action="alerts.alert_published",
        target=locked,
        data={"msg_type": locked.msg_type, "status": locked.status},
    )
    public_alerts_changed()
    transaction.on_commit(partial(start_fan_out, locked.pk))
    return _refreshed(alert)


def start_fan_out(alert_id: int) -> None:
    """Hand the published alert to the fan-out (`cityhall.alerts.fanout`)."""
    # Imported when used: the fan-out module reads the alerts' models and selectors itself.
    fanout = importlib.import_module("cityhall.alerts.fanout")
    fanout.start_fan_out(alert_id)


@transaction.atomic
def reject_alert(*, alert: Alert, actor: User, reason: str) -> Alert:
    """Send the alert back to its drafter with a reason; nothing is published."""
    require_publisher(actor)
    if not reason.strip():
        message = _("Say why the alert is rejected.")
        raise InvalidInput(message, fields={"reason": [message]})
    locked = _locked(alert)
    if locked.state != State.AWAITING_APPROVAL:
        raise Conflict(_("Only an alert awaiting approval can be rejected."))
    locked.state = State.REJECTED
    locked.rejected_by = actor
    locked.rejection_reason = reason.strip()
    locked.save(update_fields=["state", "rejected_by", "rejection_reason", "updated_at"])
    record_audit_event(actor=actor, action="alerts.alert_rejected", target=locked)
    return _refreshed(alert)


def _end_original(follow_up: Alert, *, actor: User, now: datetime) -> None:
    original = Alert.objects.select_for_update().get(pk=follow_up.references_id or 0)
    if original.state != State.PUBLISHED or original.expires <= now:
        raise Conflict(_("The alert this one follows is no longer published."))
    original.state = (
        State.CANCELLED if follow_up.msg_type == Alert.MsgType.CANCEL else State.SUPERSEDED
    )
    original.ended_at = now
    original.save(update_fields=["state", "ended_at", "updated_at"])
    record_audit_event(
        actor=actor,
        action=f"alerts.alert_{original.state}",
        target=original,
        data={"by": str(follow_up.public_id)},
    )


def _with_status(content: AlertContent, status: str) -> AlertContent:
    return replace(content, status=status)


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _refreshed(alert: Alert) -> Alert:
    alert.refresh_from_db()
    return alert
