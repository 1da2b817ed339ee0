from dataclasses import replace
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import PartnerMembershipFactory, UserFactory
from cityhall.alerts.models import Alert
from cityhall.alerts.services import (
    approve_alert,
    draft_alert,
    edit_draft,
    reject_alert,
    submit_for_approval,
)
from cityhall.alerts.tests.alert_factories import content, officer, texts
from cityhall.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cityhall.core.models import AuditEvent

pytestmark = pytest.mark.django_db
FAN_OUT = "cityhall.alerts.services.workflow.start_fan_out"


def submitted(drafter=None) -> Alert:
    alert = draft_alert(actor=drafter or officer(), content=content())
    return submit_for_approval(alert=alert, actor=alert.drafted_by)


def test_a_draft_keeps_both_languages_and_the_area() -> None:
    drafter = officer()
    alert = draft_alert(actor=drafter, content=content())
    assert alert.state == Alert.State.DRAFT
    assert alert.msg_type == Alert.MsgType.ALERT
    assert alert.status == Alert.Status.ACTUAL
    assert {t.language for t in alert.texts.all()} == {"en", "fr"}
    assert alert.texts.get(language="fr").headline == "Inondation le long de la rivière"
    assert alert.area_kind == Alert.AreaKind.DISTRICTS
    assert alert.districts.count() == 1
    assert alert.area_geometry().area > 0
    assert AuditEvent.objects.filter(action="alerts.alert_drafted", actor=drafter).exists()


def test_someone_without_the_capability_cannot_draft() -> None:
    with pytest.raises(PermissionDenied):
        draft_alert(actor=UserFactory(), content=content())


def test_a_partner_member_drafts_for_their_organisation() -> None:
    membership = PartnerMembershipFactory()
    alert = draft_alert(actor=membership.user, content=content(), partner=membership.organisation)
    assert alert.partner == membership.organisation
    submit_for_approval(alert=alert, actor=membership.user)
    with mock.patch(FAN_OUT):
        approve_alert(alert=alert, actor=officer())
    assert alert.state == Alert.State.PUBLISHED


def test_a_missing_translation_is_refused() -> None:
    english_only = {"en": texts()["en"]}
    with pytest.raises(InvalidInput) as raised:
        draft_alert(actor=officer(), content=content(texts=english_only))
    assert "texts.fr" in raised.value.fields
    assert not Alert.objects.exists()


def test_an_empty_part_of_a_translation_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        draft_alert(actor=officer(), content=content(texts=texts(headline="  ")))
    assert {"texts.en.headline", "texts.fr.headline"} <= set(raised.value.fields)


def test_expiry_before_onset_is_refused() -> None:
    now = timezone.now()
    with pytest.raises(InvalidInput) as raised:
        draft_alert(actor=officer(), content=content(onset=now, expires=now - timedelta(minutes=1)))
    assert "expires" in raised.value.fields


def test_a_short_text_over_360_characters_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        draft_alert(actor=officer(), content=content(texts=texts(short_text="x" * 361)))
    assert "texts.en.short_text" in raised.value.fields


def test_a_short_text_of_exactly_360_characters_is_kept() -> None:
    alert = draft_alert(actor=officer(), content=content(texts=texts(short_text="x" * 360)))
    assert len(alert.texts.get(language="en").short_text) == 360


def test_the_drafter_cannot_approve_their_own_alert() -> None:
    drafter = officer()
    alert = submitted(drafter)
    with pytest.raises(PermissionDenied), mock.patch(FAN_OUT) as fan_out:
        approve_alert(alert=alert, actor=drafter)
    alert.refresh_from_db()
    assert alert.state == Alert.State.AWAITING_APPROVAL
    assert alert.published_at is None
    fan_out.assert_not_called()


def test_approval_needs_the_capability() -> None:
    alert = submitted()
    with pytest.raises(PermissionDenied):
        approve_alert(alert=alert, actor=UserFactory())


def test_a_second_officer_publishes_and_the_fan_out_starts_after_commit(
    django_capture_on_commit_callbacks,
) -> None:
    alert = submitted()
    approver = officer()
    with mock.patch(FAN_OUT) as fan_out, django_capture_on_commit_callbacks(execute=True):
        approve_alert(alert=alert, actor=approver)
        fan_out.assert_not_called()
    fan_out.assert_called_once_with(alert.pk)
    assert alert.state == Alert.State.PUBLISHED
    assert alert.approved_by == approver
    assert alert.published_at is not None
    assert AuditEvent.objects.filter(action="alerts.alert_published", actor=approver).exists()


def test_a_draft_cannot_be_approved_before_it_is_submitted() -> None:
    alert = draft_alert(actor=officer(), content=content())
    with pytest.raises(Conflict):
        approve_alert(alert=alert, actor=officer())


def test_an_alert_expired_while_awaiting_approval_is_not_published() -> None:
    alert = submitted()
    Alert.objects.filter(pk=alert.pk).update(
        onset=timezone.now() - timedelta(hours=2), expires=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(Conflict), mock.patch(FAN_OUT):
        approve_alert(alert=alert, actor=officer())


def test_rejection_needs_a_reason_and_returns_the_alert_to_its_drafter() -> None:
    alert = submitted()
    reviewer = officer()
    with pytest.raises(InvalidInput):
        reject_alert(alert=alert, actor=reviewer, reason=" ")
    reject_alert(alert=alert, actor=reviewer, reason="The area is too wide.")
    assert alert.state == Alert.State.REJECTED
    assert alert.rejection_reason == "The area is too wide."
    edit_draft(alert=alert, actor=alert.drafted_by, content=content())
    assert alert.state == Alert.State.DRAFT
    assert alert.rejection_reason == ""


def test_editing_replaces_the_texts() -> None:
    alert = draft_alert(actor=officer(), content=content())
    edit_draft(alert=alert, actor=alert.drafted_by, content=content(texts=texts(event="Storm")))
    assert [t.event for t in alert.texts.all()] == ["Storm", "Storm"]


def test_a_published_alert_cannot_be_edited() -> None:
    alert = submitted()
    with mock.patch(FAN_OUT):
        approve_alert(alert=alert, actor=officer())
    with pytest.raises(Conflict):
        edit_draft(alert=alert, actor=alert.drafted_by, content=content())


def test_someone_else_cannot_edit_or_submit_a_draft() -> None:
    alert = draft_alert(actor=officer(), content=content())
    stranger = UserFactory()
    with pytest.raises(NotFound):
        edit_draft(alert=alert, actor=stranger, content=content())
    with pytest.raises(NotFound):
        submit_for_approval(alert=alert, actor=stranger)


def test_an_exercise_keeps_its_status() -> None:
    alert = draft_alert(actor=officer(), content=replace(content(), status=Alert.Status.EXERCISE))
    assert alert.status == Alert.Status.EXERCISE
