import email
import re

import dkim
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from cityhall.notifications.channels.dkim_signing import (
    dkim_signer,
    dns_record,
    generate_private_key,
)
from cityhall.notifications.channels.email import EmailChannel
from cityhall.notifications.channels.email_message import EmailWriter
from cityhall.notifications.tests.factories import queued_email

pytestmark = pytest.mark.django_db

DOMAIN, SELECTOR = "city.example", "mail2026"
SIGNED = (
    "from : to : subject : date : message-id : mime-version : content-type : "
    "list-unsubscribe : list-unsubscribe-post"
)


@pytest.fixture(params=["ed25519", "rsa"])
def dkim_key(request, settings):
    """DKIM settings with a new key of each kind; returns the key's DNS lookup."""
    private_key = generate_private_key(request.param)
    settings.DKIM_DOMAIN, settings.DKIM_SELECTOR = DOMAIN, SELECTOR
    settings.DKIM_PRIVATE_KEY = private_key
    record = dns_record(private_key).encode()

    def lookup(name, timeout=5):
        return record if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode() else None

    return lookup


@pytest.fixture
def raw_received(smtp_server):
    """The bytes the test SMTP server received, dot-stuffing undone, as a receiver checks them."""
    return smtp_server.raw


def _signed_message(citizen, body="Hello,\nyour request is closed."):
    signer = dkim_signer()
    assert signer is not None
    return signer.signed(EmailWriter().content(queued_email(citizen, body=body)).as_bytes())


def test_a_signed_message_verifies_against_its_published_key(citizen, dkim_key):
    message = _signed_message(citizen)

    assert dkim.verify(message, dnsfunc=dkim_key)
    signature = "".join(email.message_from_bytes(message)["DKIM-Signature"].split())
    tags = dict(tag.split("=", 1) for tag in signature.split(";") if tag)
    assert tags["c"] == "relaxed/relaxed"
    assert tags["d"] == DOMAIN
    assert tags["s"] == SELECTOR
    assert tags["h"] == SIGNED.replace(" ", "")


def test_a_tampered_body_fails_verification(citizen, dkim_key):
    message = _signed_message(citizen, body="Your request is closed.")

    tampered = message.replace(b"Your request is closed.", b"Your request is opened.")

    assert tampered != message
    assert not dkim.verify(tampered, dnsfunc=dkim_key)


def test_a_tampered_unsubscribe_header_fails_verification(citizen, dkim_key):
    message = _signed_message(citizen)

    tampered = message.replace(b"?subject=unsubscribe>", b"?subject=subscribe>")

    assert tampered != message
    assert not dkim.verify(tampered, dnsfunc=dkim_key)


def test_the_email_received_over_smtp_verifies(citizen, dkim_key, raw_received):
    # Lines starting with a dot are dot-stuffed on the wire and must arrive as signed.
    delivery = queued_email(citizen, body=".hidden line\n.\n..two dots\nend")
    channel = EmailChannel()

    try:
        assert channel.send_many([delivery]) == [None]
    finally:
        channel.close()

    assert len(raw_received) == 1
    assert b"\r\n.hidden line\r\n.\r\n..two dots\r\n" in raw_received[0]
    assert dkim.verify(raw_received[0], dnsfunc=dkim_key)


def test_signing_is_off_without_dkim_settings(citizen, settings, raw_received):
    settings.DKIM_DOMAIN = settings.DKIM_SELECTOR = settings.DKIM_PRIVATE_KEY = ""
    channel = EmailChannel()

    try:
        assert channel.send_many([queued_email(citizen)]) == [None]
    finally:
        channel.close()

    assert dkim_signer() is None
    assert b"DKIM-Signature" not in raw_received[0]


def test_partial_dkim_settings_hold_the_email_for_a_retry(citizen, settings, smtp_server):
    settings.DKIM_DOMAIN, settings.DKIM_SELECTOR, settings.DKIM_PRIVATE_KEY = DOMAIN, "", ""
    channel = EmailChannel()

    try:
        (failure,) = channel.send_many([queued_email(citizen)])
    finally:
        channel.close()

    assert failure is not None
    assert not failure.permanent
    assert smtp_server.messages == []


def test_a_key_that_is_not_pem_is_refused(settings):
    settings.DKIM_DOMAIN, settings.DKIM_SELECTOR = DOMAIN, SELECTOR
    settings.DKIM_PRIVATE_KEY = "not a key"

    with pytest.raises(ImproperlyConfigured, match="PEM"):
        dkim_signer()


def test_a_selector_that_is_not_a_dns_name_is_refused(settings):
    settings.DKIM_DOMAIN, settings.DKIM_SELECTOR = DOMAIN, "sélecteur"
    settings.DKIM_PRIVATE_KEY = generate_private_key("ed25519")

    with pytest.raises(ImproperlyConfigured, match="DNS name"):
        dkim_signer()


@pytest.mark.parametrize(("algorithm", "kind"), [("ed25519", "k=ed25519"), ("rsa", "k=rsa")])
def test_generate_dkim_key_prints_a_key_and_its_record(capsys, algorithm, kind):
    call_command("generate_dkim_key", algorithm=algorithm, domain=DOMAIN, selector=SELECTOR)

    output = capsys.readouterr().out
    private_key, _end, record_line = output.partition("-----END PRIVATE KEY-----\n")
    record = "".join(re.findall(r'"([^"]*)"', record_line))
    assert record_line.strip().startswith(f"{SELECTOR}._domainkey.{DOMAIN}. IN TXT ")
    assert kind in record
    assert all(len(string) <= 255 for string in re.findall(r'"([^"]*)"', record_line))
    assert record == dns_record(private_key + "-----END PRIVATE KEY-----\n")
