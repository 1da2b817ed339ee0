import email
import email.policy

import pytest
from django.conf import settings

from cityhall.core.errors import DeliveryFailed
from cityhall.notifications.channels.email_message import EmailWriter, envelope_address
from cityhall.notifications.tests.factories import queued_email
from cityhall.notifications.unsubscribe_links import read_unsubscribe_token

pytestmark = pytest.mark.django_db


def _parsed(delivery):
    content = EmailWriter().content(delivery)
    raw = content.as_bytes()
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def _text(message, subtype):
    # Line ends are CRLF on the wire, as the parser leaves them.
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


def test_the_written_message_reads_back_as_the_same_email(citizen):
    delivery = queued_email(
        citizen, subject="Demande 311-42 fermée", body="Bonjour <Camille>,\nà bientôt."
    )

    raw, message = _parsed(delivery)

    assert raw.isascii()
    assert message["Subject"] == "Demande 311-42 fermée"
    assert message["To"] == "camille.citizen@example.org"
    assert message["From"] == "CityHall <no-reply@cityhall.example>"
    assert message["Message-ID"] == f"<{delivery.public_id.hex}@cityhall.example>"
    assert message["Date"] is not None
    assert message.get_content_type() == "multipart/alternative"
    plain, html = _text(message, "plain"), _text(message, "html")
    assert plain.startswith("Bonjour <Camille>,\nà bientôt.\n\n--\n")
    assert "Bonjour &lt;Camille&gt;,<br>à bientôt." in html


def test_every_header_line_stays_within_78_characters_but_the_link(citizen):
    long_ascii = " ".join(["closed"] * 25)
    long_french = " ".join(["fermée"] * 25)

    for subject in (long_ascii, long_french, "An =?utf-8?q?odd?= subject"):
        raw, message = _parsed(queued_email(citizen, subject=subject))

        assert message["Subject"] == subject
        headers = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        assert [line for line in headers if len(line) > 78 and b"/unsubscribe/" not in line] == []


def test_long_lines_and_leading_dots_arrive_unchanged(citizen):
    body = "\n".join([".", "..two", "x" * 1500, "tab\t", "fin é"])

    raw, message = _parsed(queued_email(citizen, body=body))

    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert _text(message, "plain").startswith(body + "\n")


def test_the_message_ids_of_two_deliveries_differ_and_stay_the_same_on_a_resend(citizen):
    first, second = queued_email(citizen), queued_email(citizen)
    writer = EmailWriter()

    assert writer.content(first).message_id == EmailWriter().content(first).message_id
    assert writer.content(first).message_id != writer.content(second).message_id


def test_the_unsubscribe_link_is_the_unsubscribe_pages_in_the_readers_language(citizen):
    citizen.preferred_language = "fr"
    citizen.save()
    delivery = queued_email(citizen)

    link = EmailWriter().unsubscribe_link(delivery)

    assert link.startswith(f"{settings.CITYHALL_BASE_URL.rstrip('/')}/fr/")
    assert "cityhall-token-mark" not in link
    request = read_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[1])
    assert request is not None
    assert (request.user_public_id, request.topic, request.channel) == (
        citizen.public_id,
        "my_requests",
        "email",
    )


def test_an_internationalised_domain_is_written_in_punycode():
    assert envelope_address("lea@bücher.example") == "lea@xn--bcher-kva.example"
    assert envelope_address("lea@example.org") == "lea@example.org"


@pytest.mark.parametrize("address", ["two words@example.org", "a@b\r\nRCPT TO:<x@y>", ""])
def test_an_address_that_cannot_be_written_fails_for_good(address):
    with pytest.raises(DeliveryFailed) as raised:
        envelope_address(address)

    assert raised.value.permanent
