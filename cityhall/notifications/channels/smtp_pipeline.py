"""Sending many messages over one open `smtplib.SMTP` connection, pipelined (RFC 2920).

smtplib waits for the server's reply to every command: four round trips per message. When the
server offers PIPELINING, `send_pipelined` writes each message's MAIL, RCPT and DATA in one
go, and the next message's commands together with this message's content, so a message costs
one round trip. Without PIPELINING it waits for every reply, as smtplib does.

smtplib still opens the connection (TLS, AUTH, EHLO) and reads the replies; this module only
writes commands in groups. Rules kept from RFC 2920: DATA ends a group (the content is written
only after its 354); a transaction whose DATA was refused is followed by RSET; when DATA is
accepted although no recipient was, a lone "." ends it.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Replies that accept a recipient (251: "will forward").
RECIPIENT_ACCEPTED = frozenset({250, 251})
#: What `Envelope` takes as an address: printable ASCII without spaces or angle brackets.
ENVELOPE_ADDRESS = re.compile(r"[!-;=?-~]*")
#: The server is closing the connection.
CLOSING = 421
LINE_START_DOT = re.compile(rb"^\.", re.MULTILINE)


def dot_stuffed(message: bytes) -> bytes:
    """The message as SMTP's DATA carries it (RFC 5321 4.5.2): a leading dot doubled."""
    if message.startswith(b".") or b"\n." in message:
        return LINE_START_DOT.sub(b"..", message)
    return message


@dataclass(frozen=True)
class Envelope:
    """One message to send: envelope sender and recipients, bare ASCII addresses (no <>), and
    the message with CRLF line ends."""

    sender: str
    recipients: Sequence[str]
    message: bytes

    def __post_init__(self) -> None:
        for address in (self.sender, *self.recipients):
            # Written into commands as they are: a line break would start a command of its own.
            if not ENVELOPE_ADDRESS.fullmatch(address):
                raise ValueError(f"Not an envelope address: {address!r}")


#: What became of one message: None when the server accepted it, else the smtplib error that
#: `smtplib.SMTP.sendmail` would have raised for it.
Outcome = smtplib.SMTPException | None


@dataclass
class Transmission:
    """The outcome of `send_pipelined`.

    `outcomes[i]` is set for every message whose fate is known, and for the one in flight when
    the connection was lost (an SMTPServerDisconnected: it may or may not have arrived).
    `unsent` lists, in order, the messages that certainly did not go (their content was never
    written), so that they may be sent again on a new connection.
    """

    outcomes: dict[int, Outcome] = field(default_factory=dict)
    unsent: list[int] = field(default_factory=list)
    lost: smtplib.SMTPServerDisconnected | None = None


@dataclass
class _Transaction:
    index: int
    envelope: Envelope
    sender_error: tuple[int, bytes] | None = None
    refused: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    data_error: tuple[int, bytes] | None = None

    @property
    def may_send_content(self) -> bool:
        recipients = self.envelope.recipients
        return self.sender_error is None and len(self.refused) < len(recipients)

    def failure(self) -> smtplib.SMTPException | None:
        # The sender's refusal comes first: recipients after a refused MAIL only get 503.
        if self.sender_error is not None:
            return smtplib.SMTPSenderRefused(*self.sender_error, self.envelope.sender)
        if len(self.refused) == len(self.envelope.recipients):
            return smtplib.SMTPRecipientsRefused(self.refused)
        if self.data_error is not None:
            return smtplib.SMTPDataError(*self.data_error)
        return None


class _Sender:
    def __init__(self, smtp: smtplib.SMTP, envelopes: Sequence[Envelope]) -> None:
        self.smtp = smtp
        self.envelopes = envelopes
        self.is_pipelined = self.offers_size = False
        self.result = Transmission()
        self.needs_reset = False
        #: Messages whose content was written, answered or not.
        self.written: set[int] = set()

    def run(self) -> Transmission:
        previous: _Transaction | None = None
        try:
            self.smtp.ehlo_or_helo_if_needed()
            esmtp = bool(self.smtp.does_esmtp)
            self.is_pipelined = esmtp and self.smtp.has_extn("pipelining")
            self.offers_size = esmtp and self.smtp.has_extn("size")
            for index, envelope in enumerate(self.envelopes):
                current = _Transaction(index, envelope)
                self._exchange(previous, current)
                previous = current if current.data_error is None else None
            self._exchange(previous, None)
        except smtplib.SMTPServerDisconnected as error:
            self._lose(error)
        return self.result

    def _exchange(self, previous: _Transaction | None, current: _Transaction | None) -> None:
        """Write `previous`'s content (its DATA was accepted) and `current`'s commands as one
        group, then read their replies in order."""
        steps: list[tuple[bytes, str]] = []
        if previous is not None:
            content = dot_stuffed(previous.envelope.message) if previous.may_send_content else b""
            if content and not content.endswith(b"\r\n"):
                content += b"\r\n"
            steps.append((content + b".\r\n", "end"))
        if current is not None:
            if self.needs_reset:
                steps.append((b"RSET\r\n", "reset"))
                self.needs_reset = False
            steps += self._commands(current.envelope)
        if self.is_pipelined:
            self._write(b"".join(data for data, _step in steps), previous)
            for _data, step in steps:
                self._read(step, previous, current)
        else:
            for data, step in steps:
                self._write(data, previous if step == "end" else None)
                self._read(step, previous, current)

    def _commands(self, envelope: Envelope) -> list[tuple[bytes, str]]:
        size = f" SIZE={len(envelope.message)}" if self.offers_size else ""
        mail = f"MAIL FROM:<{envelope.sender}>{size}\r\n"
        commands = [(mail.encode("ascii"), "mail")]
        commands += [
            (f"RCPT TO:<{recipient}>\r\n".encode("ascii"), f"rcpt:{recipient}")
            for recipient in envelope.recipients
        ]
        return [*commands, (b"DATA\r\n", "data")]

    def _write(self, data: bytes, carrying_content_of: _Transaction | None) -> None:
        if carrying_content_of is not None:
            # From here on the server may have the message, whatever becomes of the connection.
            self.written.add(carrying_content_of.index)
        self.smtp.send(data)

    def _read(self, step: str, previous: _Transaction | None, current: _Transaction | None) -> None:
        try:
            code, text = self.smtp.getreply()
        except smtplib.SMTPResponseException as error:  # a reply line too long: smtplib closed
            raise smtplib.SMTPServerDisconnected(str(error)) from error
        if code == CLOSING:
            self.smtp.close()
            raise smtplib.SMTPServerDisconnected(f"{code} {text.decode(errors='replace')}")
        if step == "end":
            assert previous is not None
            if code != 250 and previous.may_send_content:
                previous.data_error = (code, text)
            self.result.outcomes[previous.index] = previous.failure()
            return
        assert current is not None
        if step == "mail" and code != 250:
            current.sender_error = (code, text)
        elif step.startswith("rcpt:") and code not in RECIPIENT_ACCEPTED:
            current.refused[step.removeprefix("rcpt:")] = (code, text)
        elif step == "data" and code != 354:
            current.data_error = (code, text)
            self.result.outcomes[current.index] = current.failure()
            self.needs_reset = True

    def _lose(self, error: smtplib.SMTPServerDisconnected) -> None:
        self.result.lost = error
        for index in range(len(self.envelopes)):
            if index in self.result.outcomes:
                continue
            # Written content without an answer may have arrived: never sent again at once.
            if index in self.written:
                self.result.outcomes[index] = error
            else:
                self.result.unsent.append(index)


def send_pipelined(smtp: smtplib.SMTP, envelopes: Sequence[Envelope]) -> Transmission:
    """Send `envelopes` in order over `smtp`, an open connection (see the module docstring).

    Raises nothing for what the server answers or for a lost connection: see `Transmission`.
    After a lost connection `smtp` is closed.
    """
    return _Sender(smtp, envelopes).run()
