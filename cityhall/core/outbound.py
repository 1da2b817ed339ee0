"""The one door for HTTP requests the server makes on its own (webhooks, web push, the SMS
provider, later CAP feeds), so that none can be aimed at the city's own network.

`send_request` resolves the host once with the operating system's resolver, as an HTTP library
would (so `127.1`, `0x7f.0.0.1`, `2130706433`, `0` and names that resolve inside come out as what
they are), refuses the request unless every address is public, and connects to exactly the
address it checked: no second lookup can answer differently. Over https the certificate is still
checked against the host name, which is also sent as SNI and in Host. Redirects are never
followed (a 3xx comes back as it is and callers count it a failure), the whole exchange has one
deadline, and at most `max_response_bytes` of the answer are read.

Setting OUTBOUND_ALLOW_LOOPBACK (development and tests only; refused in production) also lets
requests reach 127.0.0.0/8 and ::1, over http too: the receivers a developer or a test runs on
the same machine. Every other non-public address stays refused.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import logging
import socket
import ssl
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as LookupTimedOut
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024
#: How long a form may wait for a name to resolve when checking an address.
CHECK_TIMEOUT_SECONDS = 5.0
#: getaddrinfo has no timeout of its own, so lookups run here and are waited for only until the
#: request's deadline; a lookup still stuck then finishes in the background.
_LOOKUPS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="outbound-lookup")
#: NAT64 prefixes (RFC 6052, RFC 8215): the last 32 bits are an IPv4 address the gateway reaches.
_NAT64_PREFIXES = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)


class OutboundError(Exception):
    """A request that got no answer. The message is safe to show to whoever chose the address."""


class AddressRefused(OutboundError):
    """The URL or an address its host resolves to is not allowed; trying again will not help."""


class NoAnswer(OutboundError):
    """The host could not be found or reached, timed out, failed TLS or broke HTTP: retry later."""


@dataclass(frozen=True)
class OutboundResponse:
    """An answer: status, headers (lower-case names), the body read, and where it came from."""

    status: int
    headers: Mapping[str, str]
    #: At most the caller's `max_response_bytes`; `truncated` says whether more was sent.
    body: bytes
    truncated: bool
    #: The address connected to, as checked.
    address: str

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries and leads to (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in prefix for prefix in _NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """Whether `address`, and any IPv4 address inside it, is globally reachable unicast."""
    embedded = _embedded_ipv4(address)
    if embedded is not None and not is_public_address(embedded):
        return False
    # `is_global` alone lets multicast (224.0.0.0/4 is "global" to ipaddress) through.
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _is_allowed(address: IPAddress) -> bool:
    if is_public_address(address):
        return True
    allow_loopback = bool(getattr(settings, "OUTBOUND_ALLOW_LOOPBACK", False))
    return allow_loopback and address.is_loopback


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str


def _target(url: str) -> _Target:
    """The parts of `url` a request needs; AddressRefused when it is not plain http(s)."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as error:
        raise AddressRefused("The address is not a valid URL.") from error
    if parts.scheme not in {"http", "https"} or not host:
        raise AddressRefused("The address must be an https:// URL.")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("The address must not carry a user name or password.")
    default_port = 443 if parts.scheme == "https" else 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme=parts.scheme, host=host, port=port or default_port, path=path)


def _parse(sockaddr_host: str) -> IPAddress:
    # A link-local IPv6 answer may carry a zone ("fe80::1%eth0"), which ipaddress rejects here.
    return ipaddress.ip_address(sockaddr_host.split("%", 1)[0])


def _resolve(
    target: _Target, deadline: float
) -> list[tuple[socket.AddressFamily, tuple[object, ...]]]:
    """Every (family, socket address) the host resolves to, once all are checked."""
    lookup = _LOOKUPS.submit(socket.getaddrinfo, target.host, target.port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=max(deadline - time.monotonic(), 0))
    except LookupTimedOut as error:
        raise NoAnswer("The host name could not be resolved in time.") from error
    except (OSError, UnicodeError) as error:
        raise NoAnswer("The host name could not be resolved.") from error
    resolved: list[tuple[socket.AddressFamily, tuple[object, ...]]] = [
        (family, tuple(sockaddr)) for family, _t, _p, _c, sockaddr in infos
    ]
    for _family, sockaddr in resolved:
        try:
            address = _parse(str(sockaddr[0]))
        except ValueError:
            address = None
        if address is None or not _is_allowed(address):
            logger.warning(
                "Outbound request to %s refused: it resolves to %s", target.host, sockaddr[0]
            )
            raise AddressRefused("The address leads to a network that is not public.")
    if not resolved:
        raise NoAnswer("The host name could not be resolved.")
    plain_http_allowed = all(_parse(str(sockaddr[0])).is_loopback for _f, sockaddr in resolved)
    if target.scheme == "http" and not plain_http_allowed:
        raise AddressRefused("The address must be an https:// URL.")
    return resolved


def check_url(url: str) -> None:
    """Raise AddressRefused unless a request to `url` would be allowed now.

    For forms: a name that does not resolve (yet) passes, since every request checks again.
    """
    target = _target(url)
    try:
        _resolve(target, time.monotonic() + CHECK_TIMEOUT_SECONDS)
    except NoAnswer as error:
        if target.scheme == "http":  # allowed only to this machine, which always resolves
            raise AddressRefused("The address must be an https:// URL.") from error


class _DeadlineSocket:
    """A connected socket whose every read and write must end before one deadline, so a peer
    that answers a byte at a time cannot hold a worker longer than the caller's timeout.

    Like a socket's own makefile, an open reader keeps the socket open after close(): http.client
    closes the connection as soon as it sees "Connection: close", before the body is read.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.readers = 0
        self.closed = False

    def arm(self) -> None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the deadline passed")
        self.sock.settimeout(remaining)

    def sendall(self, data: bytes) -> None:
        self.arm()
        self.sock.sendall(data)

    def makefile(self, mode: str) -> io.BufferedReader:
        assert mode == "rb"  # http.client reads answers only
        self.readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def release(self) -> None:
        self.readers -= 1
        if self.closed and not self.readers:
            self.sock.close()

    def close(self) -> None:
        self.closed = True
        if not self.readers:
            self.sock.close()


class _DeadlineReader(io.RawIOBase):
    def __init__(self, owner: _DeadlineSocket) -> None:
        super().__init__()
        self.owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]  # io's signature takes any buffer
        self.owner.arm()
        return self.owner.sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self.owner.release()
        super().close()


@cache
def _tls_context() -> ssl.SSLContext:
    """The system's trusted authorities, with host name checks; built once per process."""
    return ssl.create_default_context()


def _connect(
    target: _Target,
    family: socket.AddressFamily,
    sockaddr: tuple[object, ...],
    deadline: float,
) -> _DeadlineSocket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        sock.connect(sockaddr)
        if target.scheme == "https":
            # The certificate is checked against the name, never the address connected to.
            sock = _tls_context().wrap_socket(sock, server_hostname=target.host)
    except BaseException:
        sock.close()
        raise
    return _DeadlineSocket(sock, deadline)


@dataclass(frozen=True)
class OutboundRequest:
    """One request to make: `timeout` bounds the whole exchange, in seconds."""

    method: str
    url: str
    headers: Mapping[str, str]
    timeout: float
    body: bytes | None = None
    #: Reading stops here; callers that only report a size need no more.
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES


def _connect_first(
    target: _Target,
    resolved: list[tuple[socket.AddressFamily, tuple[object, ...]]],
    deadline: float,
) -> tuple[_DeadlineSocket, tuple[object, ...]]:
    """A connection to the first checked address that takes one (a host may publish an IPv6
    address this machine has no route to), and that address."""
    refused: OSError | None = None
    for family, sockaddr in resolved:
        try:
            return _connect(target, family, sockaddr, deadline), sockaddr
        except ssl.SSLError:
            raise  # the host answered: another address of it would present the same certificate
        except OSError as error:
            refused = error
    assert refused is not None  # _resolve never returns an empty list
    raise refused


def _exchange(
    connection: http.client.HTTPConnection, request: OutboundRequest, target: _Target
) -> tuple[http.client.HTTPResponse, bytes, bool]:
    headers = dict(request.headers)
    connection.request(request.method, target.path, body=request.body, headers=headers)
    response = connection.getresponse()
    limit = request.max_response_bytes
    try:
        received = response.read(limit + 1)
    finally:
        response.close()
    return response, received[:limit], len(received) > limit


def send_request(request: OutboundRequest) -> OutboundResponse:
    """Send `request` and return the answer, whatever its status.

    Raises AddressRefused when the URL or any address its host resolves to is not allowed
    (nothing is sent), and NoAnswer for no usable answer within the request's timeout.
    """
    deadline = time.monotonic() + request.timeout
    target = _target(request.url)
    resolved = _resolve(target, deadline)
    connection_class = (
        http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(target.host, target.port)
    try:
        connection.sock, sockaddr = _connect_first(target, resolved, deadline)
        response, received, truncated = _exchange(connection, request, target)
    except ssl.SSLError as error:
        raise NoAnswer(f"The TLS handshake failed: {error.reason or error}") from error
    except TimeoutError as error:
        raise NoAnswer("No answer in time.") from error
    except (OSError, http.client.HTTPException) as error:
        raise NoAnswer(f"No usable answer: {type(error).__name__}.") from error
    finally:
        connection.close()
    return OutboundResponse(
        status=response.status,
        headers={name.lower(): value for name, value in response.getheaders()},
        body=received,
        truncated=truncated,
        address=str(sockaddr[0]),
    )
