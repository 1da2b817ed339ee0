"""The email channel: HTML and plain text, one-click unsubscribe headers (RFC 8058)."""

from __future__ import annotations

import contextlib
import smtplib
import uuid
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from cityhall.core.errors import DeliveryFailed
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.errors import RecipientRejected
from cityhall.notifications.models import ChannelKind, Delivery
from cityhall.notifications.unsubscribe_links import unsubscribe_url


def unsubscribe_mailbox() -> str:
    """Where `mailto:` unsubscribe requests go; NOTIFICATIONS_UNSUBSCRIBE_EMAIL or the sender."""
    default = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return str(getattr(settings, "NOTIFICATIONS_UNSUBSCRIBE_EMAIL", "") or default)


class NotificationEmail(EmailMultiAlternatives):
    """An email whose MIME boundary is chosen with the message.

    Left to itself, the email generator draws a boundary and compiles a regular expression for
    it to check the text does not contain it, once per message: a tenth of a worker's time in a
    large send. A random 128-bit boundary drawn after the text is written cannot be in it.
    """

    def message(self, *args: Any, **kwargs: Any) -> Any:
        mime = super().message(*args, **kwargs)
        if mime.is_multipart():
            mime.set_boundary(f"===============cityhall-{uuid.uuid4().hex}==")
        return mime


def build_email(delivery: Delivery) -> NotificationEmail:
    """The message for one email delivery, in the notification's language."""
    notification = delivery.notification
    link = unsubscribe_url(
        user=notification.recipient, topic=notification.topic, channel=ChannelKind.EMAIL
    )
    with translation.override(notification.language):
        footer = _("To stop these emails, open this link: %(link)s") % {"link": link}
        html_footer = _('<a href="%(link)s">Stop these emails</a>') % {"link": escape(link)}
    sender = settings.DEFAULT_FROM_EMAIL
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    headers = {
        "Message-ID": make_msgid(domain=domain),
        "Content-Language": notification.language,
        # RFC 8058: the HTTPS link takes a POST without cookies; the mailto is the fallback.
        "List-Unsubscribe": f"<{link}>, <mailto:{unsubscribe_mailbox()}?subject=unsubscribe>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    message = NotificationEmail(
        subject=" ".join(delivery.subject.split()),
        body=f"{delivery.body}\n\n--\n{footer}\n",
        from_email=sender,
        to=[delivery.address],
        headers=headers,
    )
    html = f'<html lang="{notification.language}"><body>{linebreaks(escape(delivery.body))}'
    message.attach_alternative(f"{html}<hr><p>{html_footer}</p></body></html>", "text/html")
    return message


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
    """Sends through Django's email backend and keeps the connection open between messages."""

    kind = ChannelKind.EMAIL

    def __init__(self) -> None:
        self._connection: Any = None
        self._connection_settings: tuple[object, ...] = ()

    def send(self, delivery: Delivery) -> None:
        message = build_email(delivery)
        try:
            self._send_on_open_connection(message)
        except smtplib.SMTPServerDisconnected:
            # Relays drop idle connections; one fresh connection is worth a try.
            self.close()
            try:
                self._send_on_open_connection(message)
            except (smtplib.SMTPException, OSError) as error:
                raise _failure(error) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _failure(error) from error
        delivery.provider_message_id = message.extra_headers["Message-ID"]

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # The connection is being dropped anyway; a failing QUIT changes nothing.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()

    def _send_on_open_connection(self, message: NotificationEmail) -> None:
        wanted = (
            settings.EMAIL_BACKEND,
            getattr(settings, "EMAIL_HOST", None),
            getattr(settings, "EMAIL_PORT", None),
        )
        if self._connection is None or wanted != self._connection_settings:
            self.close()
            self._connection = get_connection(fail_silently=False)
            self._connection_settings = wanted
        self._connection.open()
        message.connection = self._connection
        message.send()
