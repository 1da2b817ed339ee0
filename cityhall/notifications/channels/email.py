"""The email channel: HTML and plain text, one-click unsubscribe headers (RFC 8058).

A worker keeps one SMTP connection open across batches and sends a batch pipelined over it
(smtp_pipeline.py) when Django's SMTP backend is the configured one, each message DKIM-signed
when the DKIM settings are set (dkim_signing.py); any other backend (the test outbox, console,
file, a provider's API) gets Django messages one by one, unsigned.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Sequence
from typing import Any

import dkim
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from cityhall.core.errors import DeliveryFailed
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.channels.dkim_signing import dkim_signer
from cityhall.notifications.channels.email_message import EmailContent, EmailWriter
from cityhall.notifications.channels.smtp_pipeline import Envelope, send_pipelined
from cityhall.notifications.errors import RecipientRejected
from cityhall.notifications.models import ChannelKind, Delivery

#: What a broken, refused or refusing SMTP connection raises.
CONNECTION_ERRORS = (smtplib.SMTPException, OSError)


def _failure(error: Exception) -> DeliveryFailed:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            return RecipientRejected(f"SMTP refused the recipient: {error.recipients}")
        return DeliveryFailed(f"SMTP deferred the recipient: {error.recipients}", permanent=False)
    if isinstance(error, smtplib.SMTPResponseException):
        permanent = 500 <= error.smtp_code < 600
        return DeliveryFailed(f"SMTP {error.smtp_code}: {error.smtp_error!r}", permanent=permanent)
    return DeliveryFailed(f"{type(error).__name__}: {error}", permanent=False)


class EmailChannel(Channel):
    """Sends through Django's email backend and keeps the connection open between batches."""

    kind = ChannelKind.EMAIL

    def __init__(self) -> None:
        self._connection: Any = None
        self._connection_settings: tuple[object, ...] = ()

    def send(self, delivery: Delivery) -> None:
        failure = self.send_many([delivery])[0]
        if failure is not None:
            raise failure

    def send_many(self, deliveries: Sequence[Delivery]) -> list[DeliveryFailed | None]:
        """Send each delivery's email; sets `provider_message_id` on those that left."""
        try:
            writer = EmailWriter()
        except ValueError as error:
            # Retried with backoff, so that mending the setting is enough.
            failed = DeliveryFailed(f"DEFAULT_FROM_EMAIL cannot be used: {error}", permanent=False)
            return [failed] * len(deliveries)
        failures: list[DeliveryFailed | None] = [None] * len(deliveries)
        written: dict[int, EmailContent] = {}
        for position, delivery in enumerate(deliveries):
            try:
                written[position] = writer.content(delivery)
            except DeliveryFailed as error:
                failures[position] = error
        contents = list(written.values())
        backend = self._backend()
        if isinstance(backend, SmtpBackend):
            outcomes = self._send_over_smtp(contents)
        else:
            outcomes = [self._send_with(backend, content) for content in contents]
        for position, content, outcome in zip(written, contents, outcomes, strict=True):
            failures[position] = outcome
            if outcome is None:
                deliveries[position].provider_message_id = content.message_id
        return failures

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # The connection is being dropped anyway; a failing QUIT changes nothing.
            with contextlib.suppress(*CONNECTION_ERRORS):
                connection.close()

    def _backend(self) -> Any:
        """This channel's backend, new when the email settings changed (tests change them)."""
        wanted = (
            settings.EMAIL_BACKEND,
            getattr(settings, "EMAIL_HOST", None),
            getattr(settings, "EMAIL_PORT", None),
        )
        if self._connection is None or wanted != self._connection_settings:
            self.close()
            self._connection = get_connection(fail_silently=False)
            self._connection_settings = wanted
        return self._connection

    def _send_with(self, backend: Any, content: EmailContent) -> DeliveryFailed | None:
        try:
            backend.send_messages([content.as_django_message()])
        except CONNECTION_ERRORS as error:
            self.close()
            return _failure(error)
        return None

    def _send_over_smtp(self, contents: Sequence[EmailContent]) -> list[DeliveryFailed | None]:
        """Pipelined over the open connection. Relays drop idle connections, so the messages
        that certainly did not leave get one more try on a fresh connection."""
        envelopes, failures = _envelopes(contents)
        waiting = list(envelopes)
        for attempt in (1, 2):
            if not waiting:
                break
            backend = self._backend()
            try:
                backend.open()
                transmission = send_pipelined(
                    backend.connection, [envelopes[index] for index in waiting]
                )
            except CONNECTION_ERRORS as error:  # no connection, or refused at EHLO
                self.close()
                for index in waiting:
                    failures[index] = _failure(error)
                break
            for position, outcome in transmission.outcomes.items():
                failures[waiting[position]] = None if outcome is None else _failure(outcome)
            if transmission.lost is None:
                break
            self.close()
            waiting = [waiting[position] for position in transmission.unsent]
            if attempt == 2 or not waiting:
                for index in waiting:
                    failures[index] = _failure(transmission.lost)
                break
        return failures


def _envelopes(
    contents: Sequence[EmailContent],
) -> tuple[dict[int, Envelope], list[DeliveryFailed | None]]:
    """Each message as DATA carries it, DKIM-signed when the settings say so, by position; and
    the failures of those that cannot be sent. A second try sends the same signed bytes."""
    failures: list[DeliveryFailed | None] = [None] * len(contents)
    try:
        signer = dkim_signer()
    except ImproperlyConfigured as error:
        # Retried with backoff, so that mending the setting is enough.
        failed = DeliveryFailed(f"DKIM settings cannot be used: {error}", permanent=False)
        return {}, [failed] * len(contents)
    envelopes: dict[int, Envelope] = {}
    for index, content in enumerate(contents):
        message = content.as_bytes()
        try:
            if signer is not None:
                message = signer.signed(message)
        except dkim.DKIMException as error:
            failures[index] = DeliveryFailed(f"DKIM signing failed: {error}", permanent=True)
            continue
        envelopes[index] = Envelope(content.envelope_sender, [content.recipient], message)
    return envelopes, failures
