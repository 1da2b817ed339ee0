from unittest import mock

import pytest

from cityhall.alerts.models import Alert
from cityhall.alerts.services import (
    approve_alert,
    draft_alert,
    draft_cancellation,
    draft_update,
    submit_for_approval,
)
from cityhall.alerts.tests.alert_factories import content, officer, texts
from cityhall.core.errors import Conflict, PermissionDenied

pytestmark = pytest.mark.django_db
FAN_OUT = "cityhall.alerts.services.workflow.start_fan_out"


def published(**overrides) -> Alert:
    alert = draft_alert(actor=officer(), content=content(**overrides))
    submit_for_approval(alert=alert, actor=alert.drafted_by)
    with mock.patch(FAN_OUT):
        return approve_alert(alert=alert, actor=officer())


def approved(alert: Alert) -> Alert:
    submit_for_approval(alert=alert, actor=alert.drafted_by)
    with mock.patch(FAN_OUT):
        return approve_alert(alert=alert, actor=officer())


def test_an_update_references_the_original_and_supersedes_it_once_approved() -> None:
    original = published()
    update = draft_update(original=original, actor=officer(), content=content())
    assert update.msg_type == Alert.MsgType.UPDATE
    assert update.references == original
    original.refresh_from_db()
    assert original.state == Alert.State.PUBLISHED
    approved(update)
    original.refresh_from_db()
    assert original.state == Alert.State.SUPERSEDED
    assert original.ended_at is not None
    assert update.state == Alert.State.PUBLISHED


def test_a_cancellation_keeps_the_original_area_and_cancels_it() -> None:
    original = published()
    cancel = draft_cancellation(
        original=original, actor=officer(), texts=texts(headline="All clear")
    )
    assert cancel.msg_type == Alert.MsgType.CANCEL
    assert cancel.area == original.area
    assert list(cancel.districts.all()) == list(original.districts.all())
    approved(cancel)
    original.refresh_from_db()
    assert original.state == Alert.State.CANCELLED


def test_follow_ups_keep_the_two_person_rule() -> None:
    original = published()
    drafter = officer()
    cancel = draft_cancellation(original=original, actor=drafter, texts=texts())
    submit_for_approval(alert=cancel, actor=drafter)
    with pytest.raises(PermissionDenied), mock.patch(FAN_OUT):
        approve_alert(alert=cancel, actor=drafter)
    original.refresh_from_db()
    assert original.state == Alert.State.PUBLISHED


def test_an_update_of_an_exercise_stays_an_exercise() -> None:
    original = published(status=Alert.Status.EXERCISE)
    update = draft_update(original=original, actor=officer(), content=content())
    assert update.status == Alert.Status.EXERCISE


def test_a_draft_cannot_be_updated() -> None:
    draft = draft_alert(actor=officer(), content=content())
    with pytest.raises(Conflict):
        draft_update(original=draft, actor=officer(), content=content())


def test_a_second_follow_up_of_an_ended_alert_is_not_published() -> None:
    original = published()
    first = draft_cancellation(original=original, actor=officer(), texts=texts())
    second = draft_update(original=original, actor=officer(), content=content())
    approved(first)
    submit_for_approval(alert=second, actor=second.drafted_by)
    with pytest.raises(Conflict), mock.patch(FAN_OUT):
        approve_alert(alert=second, actor=officer())
