from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

import pytest

from cityhall.notifications.channels.smtp_pipeline import Envelope, send_pipelined

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

SENDER = "no-reply@cityhall.example"


def _envelope(number, recipient=None, body="Hello."):
    recipient = recipient or f"person{number}@example.org"
    message = (
        f"From: {SENDER}\r\nTo: {recipient}\r\nSubject: Message {number}\r\n"
        f"Message-ID: <{number}@cityhall.example>\r\n\r\n{body}\r\n"
    )
    return Envelope(SENDER, [recipient], message.encode())


class CountingSMTP(smtplib.SMTP):
    """An SMTP client that counts its writes, to tell pipelined commands from one-by-one ones."""

    writes = 0

    def send(self, s: ReadableBuffer | str) -> None:
        self.writes += 1
        super().send(s)


@pytest.fixture
def connect(settings):
    """Open a connection to the test server, greeted; counts the writes made on it after."""
    opened = []

    def open_connection():
        connection = CountingSMTP(settings.EMAIL_HOST, settings.EMAIL_PORT)
        connection.ehlo()
        connection.writes = 0
        opened.append(connection)
        return connection

    yield open_connection
    for connection in opened:
        connection.close()


def _subjects(server, count):
    return [message["Subject"] for message in server.wait_for(count)]


def test_a_pipelined_message_costs_one_write_and_one_wait(connect, smtp_server):
    connection = connect()

    transmission = send_pipelined(connection, [_envelope(number) for number in range(3)])

    assert transmission.outcomes == {0: None, 1: None, 2: None}
    assert (transmission.unsent, transmission.lost) == ([], None)
    assert _subjects(smtp_server, 3) == ["Message 0", "Message 1", "Message 2"]
    # The first commands; each content with the next commands; the last content.
    assert connection.writes == 4


def test_without_pipelining_every_command_waits_for_its_reply(
    connect, smtp_server_without_pipelining
):
    connection = connect()

    transmission = send_pipelined(connection, [_envelope(number) for number in range(3)])

    assert transmission.outcomes == {0: None, 1: None, 2: None}
    assert _subjects(smtp_server_without_pipelining, 3) == ["Message 0", "Message 1", "Message 2"]
    assert connection.writes == 3 * 4  # MAIL, RCPT, DATA, content


@pytest.mark.parametrize("server", ["smtp_server", "smtp_server_without_pipelining"])
def test_a_refused_recipient_fails_its_message_only(connect, server, request):
    received = request.getfixturevalue(server)
    received.recipient_replies["gone@example.org"] = "550 5.1.1 No such user"
    envelopes = [_envelope(0), _envelope(1, "gone@example.org"), _envelope(2)]

    transmission = send_pipelined(connect(), envelopes)

    refused = transmission.outcomes[1]
    assert isinstance(refused, smtplib.SMTPRecipientsRefused)
    assert refused.recipients == {"gone@example.org": (550, b"5.1.1 No such user")}
    assert (transmission.outcomes[0], transmission.outcomes[2]) == (None, None)
    assert _subjects(received, 2) == ["Message 0", "Message 2"]


def test_a_refused_message_is_told_apart_from_the_accepted(connect, smtp_server):
    smtp_server.data_replies.append("554 5.6.0 Message refused")

    transmission = send_pipelined(connect(), [_envelope(0), _envelope(1)])

    refused = transmission.outcomes[0]
    assert isinstance(refused, smtplib.SMTPDataError)
    assert refused.smtp_code == 554
    assert transmission.outcomes[1] is None
    assert _subjects(smtp_server, 1) == ["Message 1"]


def test_after_a_closing_server_the_message_in_flight_is_unknown_and_the_rest_unsent(
    connect, smtp_server
):
    smtp_server.data_replies += ["250 OK", "421 4.3.2 Shutting down"]
    connection = connect()

    transmission = send_pipelined(connection, [_envelope(number) for number in range(4)])

    assert transmission.outcomes[0] is None
    assert isinstance(transmission.outcomes[1], smtplib.SMTPServerDisconnected)
    assert transmission.unsent == [2, 3]
    assert transmission.lost is not None
    assert connection.sock is None  # closed


def test_lines_starting_with_a_dot_arrive_unchanged(connect, smtp_server):
    body = ".\r\n..two dots\r\n.one dot"

    send_pipelined(connect(), [_envelope(0, body=body)])

    (message,) = smtp_server.wait_for(1)
    assert message.get_content() == body + "\r\n"


def test_an_address_with_a_line_break_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="Not an envelope address"):
        Envelope(SENDER, ["a@example.org>\r\nRCPT TO:<b@example.org"], b"")
