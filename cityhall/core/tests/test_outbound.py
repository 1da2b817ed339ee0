import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cityhall.core import outbound
from cityhall.core.outbound import (
    AddressRefused,
    NoAnswer,
    OutboundRequest,
    check_url,
    send_request,
)
from cityhall.core.tests.test_settings_from_environment import PRODUCTION_ENV, _manage

HOSTILE_LITERALS = [
    "https://10.0.0.5/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://127.0.0.1/",
    "https://127.1/",
    "https://0x7f.0.0.1/",
    "https://2130706433/",
    "https://0177.0.0.1/",
    "https://0/",
    "https://0.0.0.0/",
    "https://[::1]/",
    "https://[::]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:10.0.0.5]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[fe80::1]/",
    "https://[fc00::1]/",
    "https://[2002:a00:5::1]/",
    "https://[64:ff9b::a9fe:a9fe]/",
    "https://192.168.1.1/",
    "https://172.16.0.1/",
    "https://100.64.0.1/",
    "https://224.0.0.1/",
    "https://[ff02::1]/",
    "https://240.0.0.1/",
    "https://255.255.255.255/",
]


@dataclass
class Received:
    paths: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)


@contextmanager
def http_server(
    answer: Callable[[BaseHTTPRequestHandler], None],
) -> Iterator[tuple[int, Received]]:
    """A server on 127.0.0.1 that records each request and answers with `answer`."""
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.paths.append(self.path)
            received.hosts.append(self.headers.get("Host", ""))
            answer(self)

        def do_GET(self) -> None:
            self.do_POST()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None):
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


@pytest.fixture
def resolver(monkeypatch):
    """Names answer as `resolver.answers[name]` says (each call takes the next list once there
    are several); every other name fails to resolve. `resolver.calls` counts lookups."""

    class FakeResolver:
        def __init__(self) -> None:
            self.answers: dict[str, list[list[str]]] = {}
            self.calls: list[str] = []
            self.delay = 0.0

        def __call__(self, host, port, *args, **kwargs):
            self.calls.append(host)
            time.sleep(self.delay)
            answers = self.answers.get(host)
            if not answers:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            addresses = answers.pop(0) if len(answers) > 1 else answers[0]
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port, 0, 0) if ":" in address else (address, port),
                )
                for address in addresses
            ]

    fake = FakeResolver()
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.fixture
def no_loopback(settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False


@pytest.fixture
def loopback_allowed(settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True


def post(url: str, **kwargs):
    return send_request(
        OutboundRequest(method="POST", url=url, headers={}, body=b"{}", timeout=5, **kwargs)
    )


@pytest.mark.usefixtures("no_loopback")
@pytest.mark.parametrize("url", HOSTILE_LITERALS)
def test_an_address_that_is_not_public_is_refused_in_any_spelling(url):
    with pytest.raises(AddressRefused):
        post(url)
    with pytest.raises(AddressRefused):
        check_url(url)


@pytest.mark.usefixtures("no_loopback")
@pytest.mark.parametrize(
    ("name", "addresses"),
    [
        ("localhost.", ["127.0.0.1"]),
        ("metadata.google.internal", ["169.254.169.254"]),
        ("intranet.city.example", ["10.0.0.5"]),
        ("v6.city.example", ["fd12:3456::1"]),
        ("both.city.example", ["93.184.215.14", "10.0.0.5"]),
    ],
)
def test_a_name_that_resolves_inside_is_refused(resolver, name, addresses):
    resolver.answers[name] = [addresses]

    with pytest.raises(AddressRefused):
        post(f"https://{name}/hook")
    with pytest.raises(AddressRefused):
        check_url(f"https://{name}/hook")


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize(
    "url", ["https://10.0.0.5/", "https://169.254.169.254/", "https://[fe80::1]/"]
)
def test_the_loopback_allowance_lets_no_other_inside_address_through(url):
    with pytest.raises(AddressRefused):
        post(url)


@pytest.mark.usefixtures("no_loopback")
@pytest.mark.parametrize("url", ["http://93.184.215.14/hook", "http://not-yet.partner.example/"])
def test_plain_http_is_refused_unless_to_this_machine(resolver, url):
    with pytest.raises(AddressRefused):
        check_url(url)


@pytest.mark.parametrize(
    "url", ["ftp://93.184.215.14/", "https://user:pass@93.184.215.14/", "file:///etc/passwd"]
)
def test_anything_but_a_plain_https_url_is_refused(url):
    with pytest.raises(AddressRefused):
        check_url(url)


def test_a_name_that_does_not_resolve_passes_the_form_check_but_gets_no_answer(resolver):
    check_url("https://not-yet.partner.example/hook")

    with pytest.raises(NoAnswer):
        post("https://not-yet.partner.example/hook")


@pytest.mark.usefixtures("loopback_allowed")
def test_the_request_goes_to_the_address_checked_and_the_name_is_never_looked_up_again(resolver):
    with http_server(reply(204)) as (port, received):
        # A second lookup would answer an inside address (DNS rebinding).
        resolver.answers["hooks.partner.example"] = [["127.0.0.1"], ["10.0.0.5"]]

        response = post(f"http://hooks.partner.example:{port}/in?x=1")

    assert response.status == 204
    assert response.address == "127.0.0.1"
    assert received.paths == ["/in?x=1"]
    assert received.hosts == [f"hooks.partner.example:{port}"]
    assert resolver.calls == ["hooks.partner.example"]


@pytest.mark.usefixtures("loopback_allowed")
def test_an_address_that_takes_no_connection_gives_way_to_the_next_one_checked(resolver):
    with http_server(reply(204)) as (port, received):
        # Nothing listens on ::1 at this port (the server is on 127.0.0.1 only).
        resolver.answers["hooks.partner.example"] = [["::1", "127.0.0.1"]]

        response = post(f"http://hooks.partner.example:{port}/in")

    assert response.address == "127.0.0.1"
    assert received.paths == ["/in"]


@pytest.mark.usefixtures("loopback_allowed")
def test_a_redirect_is_returned_as_it_is_and_never_followed():
    with http_server(reply(204)) as (inside_port, inside):
        location = f"http://127.0.0.1:{inside_port}/admin"
        with http_server(reply(302, headers={"Location": location})) as (port, _received):
            response = post(f"http://127.0.0.1:{port}/hook")

    assert response.status == 302
    assert not response.is_success
    assert inside.paths == []


@pytest.mark.usefixtures("loopback_allowed")
def test_no_more_of_the_answer_is_read_than_asked():
    with http_server(reply(200, body=b"x" * 10_000)) as (port, _received):
        response = post(f"http://127.0.0.1:{port}/", max_response_bytes=100)

    assert response.body == b"x" * 100
    assert response.truncated


@pytest.mark.usefixtures("loopback_allowed")
def test_each_answer_is_read_whole_request_after_request():
    with http_server(reply(500, body=b"answer")) as (port, received):
        bodies = [post(f"http://127.0.0.1:{port}/").body for _ in range(3)]

    assert bodies == [b"answer"] * 3
    assert len(received.paths) == 3


@pytest.mark.usefixtures("loopback_allowed")
def test_an_answer_dripped_slowly_is_cut_off_at_the_deadline():
    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.1)

    with http_server(drip) as (port, _received):
        started = time.monotonic()
        with pytest.raises(NoAnswer):
            send_request(
                OutboundRequest(
                    method="GET", url=f"http://127.0.0.1:{port}/", headers={}, timeout=0.5
                )
            )
        elapsed = time.monotonic() - started

    assert elapsed < 2


def test_a_name_that_takes_too_long_to_resolve_gets_no_answer_within_the_timeout(resolver):
    resolver.answers["slow.partner.example"] = [["93.184.215.14"]]
    resolver.delay = 2

    started = time.monotonic()
    with pytest.raises(NoAnswer):
        send_request(
            OutboundRequest(
                method="GET", url="https://slow.partner.example/", headers={}, timeout=0.3
            )
        )

    assert time.monotonic() - started < 1


def _certificate(name: str) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


@pytest.fixture
def trust(monkeypatch):
    def trusting(certificate: bytes) -> None:
        context = ssl.create_default_context(cadata=certificate.decode())
        monkeypatch.setattr(outbound, "_tls_context", lambda: context)

    return trusting


@contextmanager
def https_server(certificate_for: str, tmp_path) -> Iterator[tuple[int, list[str], bytes]]:
    """An https server on 127.0.0.1 presenting a self-signed certificate for `certificate_for`;
    yields its port, the SNI names it was sent, and the certificate to trust."""
    certificate, key = _certificate(certificate_for)
    (tmp_path / "cert.pem").write_bytes(certificate)
    (tmp_path / "key.pem").write_bytes(key)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    names: list[str] = []

    def remember(_socket, name, _context):
        names.append(name or "")

    context.sni_callback = remember

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            reply(201)(self)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], names, certificate
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.usefixtures("loopback_allowed")
def test_https_to_the_pinned_address_still_checks_the_certificate_against_the_name(
    resolver, trust, tmp_path
):
    with https_server("push.example.org", tmp_path) as (port, names, certificate):
        trust(certificate)
        resolver.answers["push.example.org"] = [["127.0.0.1"]]

        response = post(f"https://push.example.org:{port}/send")

    assert response.status == 201
    assert names == ["push.example.org"]


@pytest.mark.usefixtures("loopback_allowed")
def test_https_fails_when_the_certificate_is_for_another_name(resolver, trust, tmp_path):
    with https_server("elsewhere.example.org", tmp_path) as (port, _names, certificate):
        trust(certificate)
        resolver.answers["push.example.org"] = [["127.0.0.1"]]

        with pytest.raises(NoAnswer):
            post(f"https://push.example.org:{port}/send")


def test_production_refuses_to_start_with_the_loopback_allowance():
    result = _manage(["check"], PRODUCTION_ENV | {"OUTBOUND_ALLOW_LOOPBACK": "true"})

    assert result.returncode != 0
    assert "OUTBOUND_ALLOW_LOOPBACK" in result.stderr
