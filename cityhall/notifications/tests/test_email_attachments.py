import email
import email.policy

import pytest
from django.core import mail

from cityhall.notifications.channels.email_message import EmailWriter
from cityhall.notifications.models import Delivery
from cityhall.notifications.services import Attachment
from cityhall.notifications.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db

CALENDAR = "BEGIN:VCALENDAR\r\nSUMMARY:Rendez-vous à l'hôtel de ville\r\nEND:VCALENDAR\r\n"


def notify_with_a_file(notify_now, citizen):
    TemplateFactory()
    return notify_now(
        recipient=citizen,
        topic="my_requests",
        template="request-closed",
        context={"name": "Camille", "number": "311-42"},
        event_key="with-a-file",
        attachments=[Attachment("rendez-vous.ics", "text/calendar", CALENDAR)],
    )


def test_a_notifications_file_goes_with_its_email_only(notify_now, citizen):
    deliveries = notify_with_a_file(notify_now, citizen)

    assert {delivery.channel for delivery in deliveries} == {"email", "in_app"}
    sent = mail.outbox[-1]
    assert sent.attachments == [("rendez-vous.ics", CALENDAR, "text/calendar")]


def test_the_written_email_carries_the_file_beside_its_two_texts(notify_now, citizen):
    notify_with_a_file(notify_now, citizen)
    delivery = Delivery.objects.get(channel="email")

    raw = EmailWriter().content(delivery).as_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)

    assert raw.isascii()
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_body(("plain",)) is not None
    [attached] = list(message.iter_attachments())
    assert attached.get_filename() == "rendez-vous.ics"
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_content() == CALENDAR


def test_an_email_without_files_stays_a_plain_alternative(notify_now, citizen):
    TemplateFactory()
    notify_now(
        recipient=citizen,
        topic="my_requests",
        template="request-closed",
        context={"name": "Camille", "number": "311-42"},
        event_key="no-file",
    )
    delivery = Delivery.objects.get(channel="email")

    message = email.message_from_bytes(EmailWriter().content(delivery).as_bytes())

    assert message.get_content_type() == "multipart/alternative"
