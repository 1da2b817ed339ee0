import re
import socket

import pytest
from aiosmtpd.controller import Controller

from cityhall.notifications.delivery import deliver_many
from cityhall.notifications.models import Delivery, Suppression
from cityhall.notifications.tests.factories import TemplateFactory, queued_email
from cityhall.notifications.unsubscribe_links import read_unsubscribe_token

pytestmark = pytest.mark.django_db

CONTEXT = {"name": "Camille", "number": "311-42"}


@pytest.fixture
def https_site(settings):
    settings.CITYHALL_BASE_URL = "https://city.example"


def _send(notify_now, user, event_key="request:42:closed"):
    return notify_now(
        recipient=user,
        topic="my_requests",
        template="request-closed",
        context=CONTEXT,
        event_key=event_key,
    )


def test_the_email_arrives_with_plain_text_and_html_parts(citizen, notify_now, smtp_server):
    TemplateFactory(body="Hello {{ name }},\nrequest {{ number }} is closed <today>.")

    _send(notify_now, citizen)

    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "camille.citizen@example.org"
    assert message["Subject"] == "Your request 311-42 is closed"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "request 311-42 is closed <today>." in plain
    assert "request 311-42 is closed &lt;today&gt;." in html


def test_the_email_offers_one_click_unsubscribe(citizen, notify_now, smtp_server, https_site):
    TemplateFactory()

    _send(notify_now, citizen)

    message = smtp_server.wait_for(1)[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link, mailto = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert https_link.startswith("https://city.example/en/notifications/unsubscribe/")
    assert mailto.startswith("mailto:no-reply@cityhall.example?subject=unsubscribe")
    token = https_link.rstrip("/").rsplit("/", 1)[1]
    link = read_unsubscribe_token(token)
    assert link is not None
    assert (link.user_public_id, link.topic, link.channel) == (
        citizen.public_id,
        "my_requests",
        "email",
    )
    assert https_link in message.get_body(("plain",)).get_content()


def test_the_message_id_is_kept_as_the_providers_id(citizen, notify_now, smtp_server):
    TemplateFactory()

    _send(notify_now, citizen)

    message = smtp_server.wait_for(1)[0]
    delivery = Delivery.objects.get(channel="email")
    assert message["Message-ID"] == delivery.provider_message_id
    assert delivery.status == "sent"
    assert delivery.attempts == 1


def test_a_french_reader_gets_a_french_email(citizen, notify_now, smtp_server):
    TemplateFactory(
        language="fr", subject="Demande {{ number }} fermée", body="Bonjour {{ name }}."
    )
    citizen.preferred_language = "fr"
    citizen.save()

    _send(notify_now, citizen)

    message = smtp_server.wait_for(1)[0]
    assert message["Subject"] == "Demande 311-42 fermée"
    assert message["Content-Language"] == "fr"
    assert '<html lang="fr">' in message.get_body(("html",)).get_content()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _RefusingHandler:
    def __init__(self, code: str):
        self.code = code

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return self.code


@pytest.fixture
def refusing_smtp_server(settings, smtp_server):
    """Starts an SMTP server that refuses every recipient with the given reply."""

    def start(code):
        controller = Controller(_RefusingHandler(code), hostname="127.0.0.1", port=_free_port())
        controller.start()
        settings.EMAIL_PORT = controller.port
        return controller

    controllers = []
    yield lambda code: controllers.append(start(code))
    for controller in controllers:
        controller.stop()


def test_a_hard_bounce_suppresses_the_address(citizen, notify_now, refusing_smtp_server):
    TemplateFactory()
    refusing_smtp_server("550 5.1.1 No such user")

    _send(notify_now, citizen)

    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "bounced"
    assert delivery.is_permanent_failure
    assert delivery.next_attempt_at is None
    assert Suppression.objects.filter(channel="email", address=citizen.email).exists()


def test_a_soft_bounce_is_retried_later(citizen, notify_now, refusing_smtp_server):
    TemplateFactory()
    refusing_smtp_server("451 4.3.0 Try again later")

    _send(notify_now, citizen)

    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "queued"
    assert delivery.next_attempt_at is not None
    assert "451" in delivery.last_error
    assert not Suppression.objects.exists()


def test_an_unreachable_server_is_a_temporary_failure(citizen, notify_now, settings, smtp_server):
    TemplateFactory()
    settings.EMAIL_PORT = _free_port()  # nothing listens there

    _send(notify_now, citizen)

    delivery = Delivery.objects.get(channel="email")
    assert (delivery.status, delivery.is_permanent_failure) == ("queued", False)


def _queued_emails(addresses):
    from cityhall.accounts.tests.factories import UserFactory

    return [queued_email(UserFactory(email=address)).id for address in addresses]


def test_each_email_of_a_batch_keeps_its_own_outcome(smtp_server):
    smtp_server.recipient_replies["gone@example.org"] = "550 5.1.1 No such user"
    ids = _queued_emails(["one@example.org", "gone@example.org", "three@example.org"])

    deliver_many(ids)

    received = smtp_server.wait_for(2)
    statuses = dict(Delivery.objects.values_list("address", "status"))
    assert statuses == {
        "one@example.org": "sent",
        "gone@example.org": "bounced",
        "three@example.org": "sent",
    }
    assert sorted(message["Message-ID"] for message in received) == sorted(
        Delivery.objects.filter(status="sent").values_list("provider_message_id", flat=True)
    )
    assert Suppression.objects.filter(address="gone@example.org").exists()


def test_when_the_server_closes_mid_batch_the_rest_goes_on_a_new_connection(smtp_server):
    smtp_server.data_replies.append("421 4.3.2 Shutting down")
    ids = _queued_emails(["one@example.org", "two@example.org", "three@example.org"])

    deliver_many(ids)

    assert [message["To"] for message in smtp_server.wait_for(2)] == [
        "two@example.org",
        "three@example.org",
    ]
    # The server may or may not have kept the first: it goes again later, not at once.
    first = Delivery.objects.get(address="one@example.org")
    assert (first.status, first.is_permanent_failure) == ("queued", False)
    assert first.next_attempt_at is not None
    assert Delivery.objects.filter(status="sent").count() == 2
