"""DKIM signatures (RFC 6376) on the emails CityHall sends over SMTP.

Signing is on when the settings DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (a PEM private
key; DKIM_PRIVATE_KEY_FILE names a file holding it) are all set, and off when none is. The key's
type chooses the algorithm: an Ed25519 key signs with ed25519-sha256 (RFC 8463), an RSA key of at
least 1024 bits with rsa-sha256. Both header and body are canonicalised "relaxed".

`DkimSigner.signed` takes the exact bytes DATA carries before dot-stuffing (CRLF line ends), so
the receiving server, which undoes the dot-stuffing, checks the bytes that were signed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: The headers each signature covers. A header listed but absent is signed as absent, so it
#: cannot be added on the way without breaking the signature.
SIGNED_HEADERS = (
    b"From",
    b"To",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"MIME-Version",
    b"Content-Type",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
)
CANONICALIZATION = (b"relaxed", b"relaxed")
#: RFC 8301: verifiers must refuse RSA keys under 1024 bits.
RSA_MINIMUM_BITS = 1024
ALGORITHMS = ("ed25519", "rsa")


@dataclass(frozen=True)
class DkimSigner:
    """Signs messages for one domain and selector.

    `private_key` is in the form dkimpy takes: base64 of the 32-byte seed for ed25519, a PKCS#1
    PEM for RSA.
    """

    domain: bytes
    selector: bytes
    private_key: bytes
    algorithm: bytes

    def signed(self, message: bytes) -> bytes:
        """`message` (CRLF line ends) with a DKIM-Signature header in front.

        Raises dkim.DKIMException when the message cannot be parsed as headers and body.
        """
        signature = dkim.sign(
            message,
            self.selector,
            self.domain,
            self.private_key,
            canonicalize=CANONICALIZATION,
            signature_algorithm=self.algorithm,
            include_headers=list(SIGNED_HEADERS),
            linesep=b"\r\n",
        )
        return bytes(signature) + message


def dkim_signer() -> DkimSigner | None:
    """The signer the settings describe, or None when DKIM signing is off.

    Raises ImproperlyConfigured when the settings are set in part or the key cannot be used.
    """
    domain = getattr(settings, "DKIM_DOMAIN", "")
    selector = getattr(settings, "DKIM_SELECTOR", "")
    private_key = getattr(settings, "DKIM_PRIVATE_KEY", "")
    if not (domain or selector or private_key):
        return None
    if not (domain and selector and private_key):
        raise ImproperlyConfigured(
            "DKIM signing needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY together."
        )
    return _signer(domain, selector, private_key)


@lru_cache(maxsize=4)
def _signer(domain: str, selector: str, private_key_pem: str) -> DkimSigner:
    # Parsing the key costs more than a signature; settings rarely change within a process.
    key = _load_private_key(private_key_pem)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        seed = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        dkim_key, algorithm = base64.b64encode(seed), b"ed25519-sha256"
    else:
        dkim_key = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        algorithm = b"rsa-sha256"
    try:
        names = domain.encode("idna"), selector.encode("ascii")
    except UnicodeError as error:
        message = f"DKIM_DOMAIN or DKIM_SELECTOR is not a DNS name: {error}"
        raise ImproperlyConfigured(message) from error
    return DkimSigner(domain=names[0], selector=names[1], private_key=dkim_key, algorithm=algorithm)


def _load_private_key(pem: str) -> ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"DKIM_PRIVATE_KEY is not an unencrypted PEM private key: {error}"
        ) from error
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size < RSA_MINIMUM_BITS:
        raise ImproperlyConfigured(f"DKIM_PRIVATE_KEY: RSA keys need {RSA_MINIMUM_BITS} bits.")
    if not isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey):
        raise ImproperlyConfigured("DKIM_PRIVATE_KEY must be an Ed25519 or RSA key.")
    return key


def generate_private_key(algorithm: str, *, rsa_bits: int = 2048) -> str:
    """A new private key as PKCS#8 PEM; `algorithm` is "ed25519" or "rsa"."""
    key: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
    if algorithm == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def dns_record(private_key_pem: str) -> str:
    """The TXT record to publish at `<selector>._domainkey.<domain>` for this private key."""
    key = _load_private_key(private_key_pem)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        public = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        kind = "ed25519"
    else:
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        kind = "rsa"
    return f"v=DKIM1; k={kind}; p={base64.b64encode(public).decode('ascii')}"
