from __future__ import annotations

from cityhall.servicerequests.tasks import send_submission_confirmation
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


def test_the_confirmation_goes_to_the_contact_email_without_an_account(db, mailoutbox):
    service_request = ServiceRequestFactory(reporter=None, contact_email="someone@example.org")

    assert send_submission_confirmation.call(service_request.id) is True

    assert mailoutbox[0].to == ["someone@example.org"]
    assert service_request.tracking_number in mailoutbox[0].body


def test_nobody_is_written_to_for_an_anonymous_request(db, mailoutbox):
    service_request = ServiceRequestFactory(reporter=None)

    assert send_submission_confirmation.call(service_request.id) is False
    assert mailoutbox == []


def test_a_request_erased_since_it_was_queued_is_skipped(db, mailoutbox):
    assert send_submission_confirmation.call(123456) is False
    assert mailoutbox == []


def test_the_confirmation_is_written_in_the_reporters_language(db, citizen, mailoutbox, settings):
    citizen.preferred_language = "fr"
    citizen.save()
    service_request = ServiceRequestFactory(reporter=citizen)

    send_submission_confirmation.call(service_request.id)

    assert mailoutbox[0].to == [citizen.email]
