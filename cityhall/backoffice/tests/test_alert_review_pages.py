"""An alert's back-office page: submission, approval by a second officer only, rejection with
a reason, the CAP preview and the live sending figures."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from cityhall.alerts.models import Alert
from cityhall.alerts.services import draft_alert, submit_for_approval
from cityhall.alerts.tests.alert_factories import AlertFactory, content, officer
from cityhall.alerts.tests.cap_schema import assert_valid_cap, cap_schema, parse
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor

pytestmark = pytest.mark.django_db
FAN_OUT = "cityhall.alerts.services.workflow.start_fan_out"


def awaiting(drafter) -> Alert:
    alert = draft_alert(actor=drafter, content=content())
    return submit_for_approval(alert=alert, actor=drafter)


def test_the_drafter_submits_a_draft_for_approval(client) -> None:
    drafter = officer()
    alert = draft_alert(actor=drafter, content=content())
    sign_in_with_two_factor(client, drafter)
    page = client.get(reverse("backoffice:alert_detail", args=[alert.public_id])).content.decode()
    assert "Ask for approval" in page
    client.post(reverse("backoffice:alert_submit", args=[alert.public_id]))
    alert.refresh_from_db()
    assert alert.state == Alert.State.AWAITING_APPROVAL


def test_the_drafter_is_told_a_second_officer_must_approve(client) -> None:
    drafter = officer()
    alert = awaiting(drafter)
    sign_in_with_two_factor(client, drafter)
    page = client.get(reverse("backoffice:alert_detail", args=[alert.public_id])).content.decode()
    assert "You cannot approve your own alert" in page
    assert "Approve and publish" not in page
    with mock.patch(FAN_OUT) as fan_out:
        response = client.post(
            reverse("backoffice:alert_approve", args=[alert.public_id]), follow=True
        )
    assert "A second person must approve" in response.content.decode()
    alert.refresh_from_db()
    assert alert.state == Alert.State.AWAITING_APPROVAL
    fan_out.assert_not_called()


def test_a_second_officer_sees_both_languages_and_the_reach_then_approves(
    client, django_capture_on_commit_callbacks
) -> None:
    alert = awaiting(officer())
    approver = officer()
    sign_in_with_two_factor(client, approver)
    page = client.get(reverse("backoffice:alert_detail", args=[alert.public_id])).content.decode()
    assert "Flooding along the river" in page
    assert "Inondation le long de la rivière" in page
    assert "This area reaches 0 subscribers." in page
    with mock.patch(FAN_OUT) as fan_out, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:alert_approve", args=[alert.public_id]))
    alert.refresh_from_db()
    assert alert.state == Alert.State.PUBLISHED
    assert alert.approved_by == approver
    fan_out.assert_called_once_with(alert.pk)


def test_a_rejection_needs_a_reason(client) -> None:
    alert = awaiting(officer())
    sign_in_with_two_factor(client, officer())
    url = reverse("backoffice:alert_reject", args=[alert.public_id])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Say why the alert is rejected." in response.content.decode()
    client.post(url, {"reason": "The French text is wrong."})
    alert.refresh_from_db()
    assert alert.state == Alert.State.REJECTED
    assert alert.rejection_reason == "The French text is wrong."


def test_the_cap_preview_is_valid_cap(client) -> None:
    alert = awaiting(officer())
    sign_in_with_two_factor(client, officer())
    response = client.get(reverse("backoffice:alert_cap", args=[alert.public_id]))
    assert response["Content-Type"].startswith("application/cap+xml")
    assert_valid_cap(cap_schema(), parse(response.content))


def test_a_published_alert_shows_its_figures_and_offers_update_and_cancel(client) -> None:
    alert = AlertFactory()
    sign_in_with_two_factor(client, officer())
    figures = {"sms": {"queued": 3, "sent": 7, "failed": 1}, "email": {"queued": 10}}
    with mock.patch(
        "cityhall.backoffice.views_alerts.review.fan_out_figures", return_value=figures
    ):
        page = client.get(reverse("backoffice:alert_detail", args=[alert.public_id]))
        polled = client.get(reverse("backoffice:alert_figures", args=[alert.public_id])).json()
    text = page.content.decode()
    assert "Update the alert" in text
    assert "Cancel the alert" in text
    assert polled["channels"][0] == {
        "channel": "sms",
        "label": "Text message",
        "queued": 3,
        "sent": 7,
        "failed": 1,
    }
    assert polled["channels"][1]["channel"] == "email"
    assert polled["channels"][1]["failed"] == 0


def test_an_unknown_alert_is_not_found(client) -> None:
    sign_in_with_two_factor(client, officer())
    response = client.get(
        reverse("backoffice:alert_detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404


def test_approval_writes_the_alert_published_webhook_with_the_publication(client) -> None:
    from cityhall.integrations.models import WebhookDelivery, WebhookEvent
    from cityhall.integrations.tests.factories import WebhookSubscriptionFactory

    WebhookSubscriptionFactory(events=[WebhookEvent.ALERT_PUBLISHED])
    alert = awaiting(officer())
    sign_in_with_two_factor(client, officer())
    with mock.patch(FAN_OUT):
        client.post(reverse("backoffice:alert_approve", args=[alert.public_id]))
    assert WebhookDelivery.objects.filter(event=WebhookEvent.ALERT_PUBLISHED).count() == 1
