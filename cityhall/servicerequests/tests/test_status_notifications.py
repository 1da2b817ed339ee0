"""Status changes reach the reporter and followers through the notifications app, once."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from cityhall.notifications.models import Notification
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.notices import SURVEY_TEMPLATE, UPDATE_TEMPLATE
from cityhall.servicerequests.services import change_service_request_status, post_public_update
from cityhall.servicerequests.tasks import send_status_update
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

Status = ServiceRequest.Status


def _told_after_commit(step) -> None:
    """Run the task the change queued after commit, as a worker would."""
    send_status_update.call(step.id)


def _notified(code: str) -> list[str]:
    return sorted(
        Notification.objects.filter(template_code=code).values_list("recipient__email", flat=True)
    )


def test_the_reporter_and_followers_hear_of_a_status_change_once(citizen, other_citizen, agent):
    service_request = ServiceRequestFactory(reporter=citizen)
    FollowerFactory(service_request=service_request, user=other_citizen)

    step = change_service_request_status(
        service_request=service_request,
        actor=agent,
        to_status=Status.ACKNOWLEDGED,
        public_note="We are on it.",
    )
    _told_after_commit(step)
    _told_after_commit(step)  # a retried task tells nobody twice

    told = Notification.objects.filter(template_code="service-request-acknowledged")
    assert sorted(told.values_list("recipient__email", flat=True)) == sorted(
        [citizen.email, other_citizen.email]
    )
    assert all("We are on it." in body for body in told.values_list("body", flat=True))


def test_the_message_is_in_the_recipients_language(citizen, agent):
    citizen.preferred_language = "fr"
    citizen.save()
    service_request = ServiceRequestFactory(reporter=citizen)

    _told_after_commit(
        change_service_request_status(
            service_request=service_request, actor=agent, to_status=Status.ACKNOWLEDGED
        )
    )

    notification = Notification.objects.get(recipient=citizen)
    assert notification.language == "fr"
    assert "/fr/" in notification.body


def test_a_public_update_is_told_without_a_status_change(citizen, agent):
    service_request = ServiceRequestFactory(reporter=citizen)

    _told_after_commit(
        post_public_update(service_request=service_request, actor=agent, public_note="Crew booked.")
    )

    assert _notified(UPDATE_TEMPLATE) == [citizen.email]


def test_the_reporter_is_asked_to_rate_a_resolved_request_once(citizen, agent):
    service_request = ServiceRequestFactory(reporter=citizen, status=Status.IN_PROGRESS)

    for status in (Status.RESOLVED, Status.CLOSED):
        _told_after_commit(
            change_service_request_status(
                service_request=service_request, actor=agent, to_status=status
            )
        )

    assert _notified(SURVEY_TEMPLATE) == [citizen.email]
    survey = Notification.objects.get(template_code=SURVEY_TEMPLATE)
    assert f"/requests/{service_request.tracking_number}/rate/" in survey.body


def test_a_contact_only_reporter_still_gets_an_email(agent):
    service_request = ServiceRequestFactory(reporter=None, contact_email="walk.in@example.org")

    _told_after_commit(
        change_service_request_status(
            service_request=service_request, actor=agent, to_status=Status.ACKNOWLEDGED
        )
    )

    assert [message.to for message in mail.outbox] == [["walk.in@example.org"]]
    assert not Notification.objects.exists()


def test_the_person_who_made_the_change_is_not_told(citizen, agent):
    service_request = ServiceRequestFactory(
        reporter=citizen, status=Status.RESOLVED, resolved_at=timezone.now()
    )

    _told_after_commit(
        change_service_request_status(
            service_request=service_request, actor=citizen, to_status=Status.IN_PROGRESS
        )
    )

    assert not Notification.objects.filter(recipient=citizen).exists()


def test_the_notice_opens_the_request_status_page_in_the_recipients_language(citizen, agent):
    citizen.preferred_language = "fr"
    citizen.save()
    service_request = ServiceRequestFactory(reporter=citizen)

    _told_after_commit(
        change_service_request_status(
            service_request=service_request, actor=agent, to_status=Status.ACKNOWLEDGED
        )
    )

    notification = Notification.objects.get(recipient=citizen)
    assert notification.link == f"/fr/requests/{service_request.tracking_number}/"
