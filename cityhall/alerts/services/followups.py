"""Updates and cancellations: new CAP messages that reference the published alert they end.

Each is drafted and approved like a first alert (two people); on publication the original
is superseded or cancelled (`workflow.approve_alert`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.alerts.models import Alert
from cityhall.alerts.services.content import AlertContent, AlertTexts, check_content, content_of
from cityhall.alerts.services.workflow import may_edit, save_new_draft
from cityhall.core.errors import Conflict, NotFound


@transaction.atomic
def draft_update(*, original: Alert, actor: User, content: AlertContent) -> Alert:
    """Draft an Update of a published alert, with new content (its status stays the
    original's: an exercise is updated by an exercise)."""
    locked = _published(original, actor)
    content = replace(content, status=locked.status)
    check_content(content)
    return _draft_follow_up(locked, Alert.MsgType.UPDATE, actor=actor, content=content)


@transaction.atomic
def draft_cancellation(*, original: Alert, actor: User, texts: Mapping[str, AlertTexts]) -> Alert:
    """Draft a Cancel of a published alert: its area and times, with texts saying why."""
    locked = _published(original, actor)
    content = replace(content_of(locked), texts=texts)
    check_content(content)
    return _draft_follow_up(locked, Alert.MsgType.CANCEL, actor=actor, content=content)


def _published(original: Alert, actor: User) -> Alert:
    locked = Alert.objects.select_for_update().get(pk=original.pk)
    if not may_edit(actor, locked):
        raise NotFound
    if locked.state != Alert.State.PUBLISHED:
        raise Conflict(_("Only a published alert can be updated or cancelled."))
    return locked


def _draft_follow_up(
    original: Alert, msg_type: str, *, actor: User, content: AlertContent
) -> Alert:
    alert = Alert(
        sender=original.sender,
        msg_type=msg_type,
        references=original,
        drafted_by=actor,
        partner=original.partner,
    )
    return save_new_draft(alert, actor=actor, content=content)
