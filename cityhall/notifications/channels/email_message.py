"""What a notification email says, and the message as it goes over SMTP.

`EmailWriter` writes the emails of one batch: what they share (sender, footers in each
language) is worked out once per batch (the unsubscribe page's address once per process, by
`unsubscribe_links`), and each email then costs its own texts only. `EmailContent.as_bytes()`
writes the message (RFC 5322, MIME multipart/alternative, 7-bit clean) directly, which costs
a fraction of building it with the `email` package; `EmailContent.as_django_message()` gives
the same message to Django's other email backends (the test outbox, console, file).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.utils import translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from cityhall.core.errors import DeliveryFailed
from cityhall.notifications.channels.smtp_pipeline import ENVELOPE_ADDRESS
from cityhall.notifications.models import ChannelKind, Delivery
from cityhall.notifications.unsubscribe_links import unsubscribe_url

#: RFC 5322: a line SHOULD stay within 78 characters and MUST within 998.
FOLD_AT, MAX_LINE = 78, 998
#: UTF-8 bytes per RFC 2047 encoded word: 45 make 60 base64 characters, 72 with the rest.
WORD_BYTES = 45
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]+")


def unsubscribe_mailbox() -> str:
    """Where `mailto:` unsubscribe requests go; NOTIFICATIONS_UNSUBSCRIBE_EMAIL or the sender."""
    default = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return str(getattr(settings, "NOTIFICATIONS_UNSUBSCRIBE_EMAIL", "") or default)


def envelope_address(address: str) -> str:
    """`address` as the SMTP envelope and the To header carry it: Django's own form for
    anything beyond plain ASCII (an internationalised domain becomes punycode).

    Raises DeliveryFailed (permanent) for an address that cannot be written so.
    """
    if PLAIN_ADDRESS.fullmatch(address) and address.count("@") == 1:
        return address
    try:
        written = parseaddr(sanitize_address(address, "utf-8"))[1]
    except ValueError:
        written = ""
    if not written or not ENVELOPE_ADDRESS.fullmatch(written):
        raise DeliveryFailed(f"Not an email address: {address!r}", permanent=True)
    return written


class NotificationEmail(EmailMultiAlternatives):
    """An email whose MIME boundary is chosen with the message.

    Left to itself, the email generator draws a boundary and compiles a regular expression for
    it to check the text does not contain it, once per message. A random 128-bit boundary drawn
    after the text is written cannot be in it.
    """

    def message(self, *args: Any, **kwargs: Any) -> Any:
        mime = super().message(*args, **kwargs)
        if mime.is_multipart():
            mime.set_boundary(f"===============cityhall-{secrets.token_hex(16)}==")
        return mime


@dataclass(frozen=True)
class EmailContent:
    """One email: its envelope, its headers beyond the MIME ones, and its two texts."""

    sender: str
    envelope_sender: str
    recipient: str
    subject: str
    message_id: str
    headers: dict[str, str]
    text: str
    html: str
    #: Django's `EMAIL_USE_LOCALTIME`: the Date header in local time rather than UTC.
    local_time: bool = False
    boundary: str = field(default_factory=lambda: f"=_cityhall_{secrets.token_hex(16)}")
    #: Files sent with the texts: (filename, MIME type, text content).
    attachments: tuple[tuple[str, str, str], ...] = ()

    def as_bytes(self) -> bytes:
        """The whole message, 7-bit, CRLF line ends: what DATA carries, before dot-stuffing
        (and before the DKIM signature, which covers exactly these bytes)."""
        lines = [
            _header("From", self.sender),
            _header("To", self.recipient),
            _header("Subject", self.subject),
            f"Date: {_date(local_time=self.local_time)}",
            f"Message-ID: {self.message_id}",
        ]
        lines += [_header(name, value) for name, value in self.headers.items()]
        alternative = [
            "Content-Type: multipart/alternative;",
            f' boundary="{self.boundary}"',
            "",
            f"--{self.boundary}",
            _body_part("plain", self.text),
            f"--{self.boundary}",
            _body_part("html", self.html),
            f"--{self.boundary}--",
            "",
        ]
        lines.append("MIME-Version: 1.0")
        if not self.attachments:
            return "\r\n".join(lines + alternative).encode("ascii")
        # With files, the two texts become the first part of a multipart/mixed (RFC 2046).
        mixed = f"{self.boundary}_mixed"
        lines += ["Content-Type: multipart/mixed;", f' boundary="{mixed}"', "", f"--{mixed}"]
        lines += alternative
        for filename, content_type, content in self.attachments:
            lines += [f"--{mixed}", _attachment_part(filename, content_type, content)]
        lines += [f"--{mixed}--", ""]
        return "\r\n".join(lines).encode("ascii")

    def as_django_message(self) -> NotificationEmail:
        """The same email for a Django email backend that is not SMTP."""
        message = NotificationEmail(
            subject=self.subject,
            body=self.text,
            from_email=self.sender,
            to=[self.recipient],
            headers={"Message-ID": self.message_id, **self.headers},
        )
        message.attach_alternative(self.html, "text/html")
        for filename, content_type, content in self.attachments:
            message.attach(filename, content, content_type)
        return message


def _date(*, local_time: bool) -> str:
    # Formatting a date costs more than the rest of the headers; one per second is enough.
    second = int(time.time())
    cached = _DATES.get(local_time)
    if cached is None or cached[0] != second:
        cached = _DATES[local_time] = (second, formatdate(second, localtime=local_time))
    return cached[1]


_DATES: dict[bool, tuple[int, str]] = {}


def _header(name: str, value: str) -> str:
    """`name: value`, folded within FOLD_AT where it has spaces; RFC 2047 words if not ASCII."""
    line = f"{name}: {value}"
    if value.isascii() and "=?" not in value and "\r" not in value and "\n" not in value:
        return line if len(line) <= FOLD_AT else _folded(line)
    return f"{name}: {_encoded_words(value, room=FOLD_AT - len(name) - 2)}"


def _folded(line: str) -> str:
    # The name keeps its first word: a line of the name alone would gain nothing.
    name, _space, value = line.partition(" ")
    first, *words = value.split(" ")
    folded, current = [], f"{name} {first}"
    for word in words:
        if len(current) + 1 + len(word) > FOLD_AT:
            folded.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    folded.append(current)
    return "\r\n ".join(folded)


def _encoded_words(value: str, *, room: int) -> str:
    """RFC 2047 base64 words of at most WORD_BYTES bytes each, never splitting a character;
    the first fits in `room` characters, what is left of the header's first line."""
    words, chunk, limit = [], b"", min(WORD_BYTES, (room - len("=?utf-8?b??=")) // 4 * 3)
    for character in " ".join(value.split()):
        encoded = character.encode()
        if len(chunk) + len(encoded) > limit:
            words.append(chunk)
            chunk, limit = b"", WORD_BYTES
        chunk += encoded
    words.append(chunk)
    return "\r\n ".join(
        f"=?utf-8?b?{binascii.b2a_base64(word, newline=False).decode()}?=" for word in words
    )


def _body_part(subtype: str, text: str) -> str:
    """One text part's headers and body: as is when 7-bit clean, else quoted-printable."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii() and max(map(len, text.split("\n"))) <= MAX_LINE:
        encoding, body = "7bit", text
    else:
        encoding = "quoted-printable"
        body = binascii.b2a_qp(text.encode(), istext=True).decode("ascii")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n" + body.replace("\n", "\r\n")
    )


def _attachment_part(filename: str, content_type: str, content: str) -> str:
    """One attached file, base64 in lines of 76 characters, named with a safe ASCII name."""
    name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    encoded = base64.encodebytes(content.encode()).decode("ascii").rstrip("\n")
    return (
        f'Content-Type: {content_type}; charset="utf-8"; name="{name}"\r\n'
        f'Content-Disposition: attachment; filename="{name}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + encoded.replace("\n", "\r\n")
    )


@dataclass(frozen=True)
class _Footers:
    text: str
    html: str


class EmailWriter:
    """Writes the emails of one batch (see the module docstring).

    Settings are read when the writer is made, so one writer per batch follows their changes;
    raises ValueError when DEFAULT_FROM_EMAIL is not an address.
    """

    def __init__(self) -> None:
        self.sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")
        self.envelope_sender = parseaddr(self.sender)[1]
        if not self.envelope_sender or not ENVELOPE_ADDRESS.fullmatch(self.envelope_sender):
            raise ValueError(f"Not an email address: {settings.DEFAULT_FROM_EMAIL!r}")
        self.domain = self.envelope_sender.rpartition("@")[2] or "localhost"
        self.mailto = f"<mailto:{unsubscribe_mailbox()}?subject=unsubscribe>"
        self.local_time = bool(getattr(settings, "EMAIL_USE_LOCALTIME", False))
        self._footers: dict[str, _Footers] = {}

    def content(self, delivery: Delivery) -> EmailContent:
        """The email of one delivery, in the notification's language.

        Its Message-ID is the delivery's own, so that a copy sent again after a worker died
        before recording it carries the same id as the first (mail programs show one).
        """
        notification = delivery.notification
        language = notification.language
        link = self.unsubscribe_link(delivery)
        footers = self._footers_in(language)
        html_body = linebreaks(escape(delivery.body))
        return EmailContent(
            sender=self.sender,
            envelope_sender=self.envelope_sender,
            recipient=envelope_address(delivery.address),
            subject=" ".join(delivery.subject.split()),
            message_id=f"<{delivery.public_id.hex}@{self.domain}>",
            headers={
                "Content-Language": language,
                # RFC 8058: the HTTPS link takes a POST without cookies; the mailto is the fallback.
                "List-Unsubscribe": f"<{link}>, {self.mailto}",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            text=f"{delivery.body}\n\n--\n{footers.text % {'link': link}}\n",
            html=(
                f'<html lang="{language}"><body>{html_body}'
                f"<hr><p>{footers.html % {'link': escape(link)}}</p></body></html>"
            ),
            local_time=self.local_time,
            attachments=tuple(
                (item["filename"], item["content_type"], item["content"])
                for item in notification.attachments
            ),
        )

    def unsubscribe_link(self, delivery: Delivery) -> str:
        """The one-click unsubscribe link of the delivery's recipient, topic and channel; for
        someone without an account, the link their bulk notification carries."""
        if delivery.notification.recipient is None:
            return delivery.notification.unsubscribe_url
        return unsubscribe_url(
            user=delivery.notification.recipient,
            topic=delivery.notification.topic,
            channel=ChannelKind.EMAIL,
        )

    def _footers_in(self, language: str) -> _Footers:
        footers = self._footers.get(language)
        if footers is None:
            with translation.override(language):
                footers = _Footers(
                    text=_("To stop these emails, open this link: %(link)s"),
                    html=_('<a href="%(link)s">Stop these emails</a>'),
                )
            self._footers[language] = footers
        return footers
