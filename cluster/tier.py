"""The local production tier: every server and CityHall process, started and stopped as one.

    tier = Tier(Path("/tmp/cityhall-cluster"), Layout(web_nodes=2, workers=2))
    tier.start()                  # servers, migrations, demo city, then the CityHall processes
    tier.balancer_url             # http://127.0.0.1:58000
    tier.kill("web-1")            # SIGKILL one part, as when its machine dies ...
    tier.start_part("web-1")      # ... and bring it back
    tier.stop()

The parts, in start order: `smtp`, `redis`, `object-store`, `primary`, `replica`,
`pgbouncer`, `web-1` … `web-N`, `balancer`, `worker-1` … `worker-N`, `scheduler-1`,
`scheduler-2`. Each keeps its log and pid file under the tier's directory, so another process
(`python -m cluster stop`) can stop what this one started. The layout (how many of each, the
port offset) is saved there at start and read back by `Tier(directory)`.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from cluster import application, servers
from cluster.object_store import CLUSTER_PORTS, ObjectStorePorts, object_store
from cluster.postgres import POSTGRES_USER, primary_server, replica_server
from cluster.processes import LOOPBACK, Service, ServiceFailed

DEFAULT_DIRECTORY = Path(os.environ.get("CLUSTER_DIR") or "/tmp/cityhall-cluster")  # noqa: S108
LOWEST_PORT, HIGHEST_PORT = 1024, 65535
#: Web nodes listen on 58001 onwards; the object store's volume server takes 58080.
MAX_WEB_NODES = 50
#: Seconds the balancer has to see every web node healthy after they start.
BALANCER_TIMEOUT = 30.0


#: The servers that need nothing else to start (PostgreSQL and PgBouncer start in order).
SERVERS = ("smtp", "redis", "object-store")


def _all_done(futures: list[Future[None]]) -> None:
    """Wait for every future, then raise the first failure among them, if any."""
    wait(futures)
    for future in futures:
        future.result()


class Part(Protocol):
    """What the tier and the fault benchmark do with any of its parts."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def kill(self) -> None: ...


@dataclass(frozen=True)
class Ports:
    """The tier's ports on 127.0.0.1; `offset` moves them all (a second tier, the tests).

    The default ports lie in Linux's range of client ports (32768 to 60999, set by
    net.ipv4.ip_local_port_range): a connection this machine opened from one of them keeps
    it for a minute after it closes (TIME_WAIT), and no server can listen there meanwhile.
    An offset of -30000 moves every port below that range, which the tests do so that their
    servers always start.
    """

    offset: int = 0

    def __post_init__(self) -> None:
        ports = [self.balancer, *self.object_store.all(), self.primary, self.redis, self.smtp]
        if min(ports) < LOWEST_PORT or max(ports) > HIGHEST_PORT:
            raise ValueError(f"Port offset {self.offset} puts ports outside 1024 to 65535.")

    @property
    def balancer(self) -> int:
        return 58000 + self.offset

    def web(self, number: int) -> int:
        """Web node `number` (from 1) listens on 58000 + number."""
        return 58000 + number + self.offset

    @property
    def primary(self) -> int:
        return 55433 + self.offset

    @property
    def replica(self) -> int:
        return 55434 + self.offset

    @property
    def pgbouncer(self) -> int:
        return 56432 + self.offset

    @property
    def redis(self) -> int:
        return 56379 + self.offset

    @property
    def smtp(self) -> int:
        return 56025 + self.offset

    @property
    def object_store(self) -> ObjectStorePorts:
        """S3 on 58333; SeaweedFS's other ports (see cluster/object_store.py) move with it."""
        default = CLUSTER_PORTS
        return ObjectStorePorts(
            s3=default.s3 + self.offset,
            master=default.master + self.offset,
            volume=default.volume + self.offset,
            filer=default.filer + self.offset,
            admin=default.admin + self.offset,
        )


@dataclass(frozen=True)
class Layout:
    """How many of each CityHall process the tier runs, and where its ports start."""

    web_nodes: int = 2
    workers: int = 2
    schedulers: int = 2
    port_offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.web_nodes <= MAX_WEB_NODES or self.workers < 1 or self.schedulers < 0:
            raise ValueError(
                f"A tier needs 1 to {MAX_WEB_NODES} web nodes and at least one worker."
            )

    @classmethod
    def saved_in(cls, directory: Path) -> Layout | None:
        """The layout a tier in `directory` was started with, or None."""
        try:
            return cls(**json.loads((directory / "tier.json").read_text()))
        except FileNotFoundError:
            return None

    def save_in(self, directory: Path) -> None:
        (directory / "tier.json").write_text(json.dumps(asdict(self)) + "\n")


@dataclass(frozen=True)
class PartStatus:
    """One line of `Tier.status()`: whether the part runs, its pid, port and log."""

    name: str
    pid: int | None
    port: int | None
    log: Path


class Tier:
    """The whole local tier in `directory` (see the module docstring for its parts)."""

    def __init__(
        self,
        directory: Path = DEFAULT_DIRECTORY,
        layout: Layout | None = None,
        *,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.directory = directory
        #: Added to (or replacing) the CityHall processes' environment, as a benchmark needs.
        self.extra_env = dict(extra_env or {})
        self.layout = layout or Layout.saved_in(directory) or Layout()
        self.ports = Ports(self.layout.port_offset)
        self.primary = primary_server(directory / "primary", port=self.ports.primary)
        self.replica = replica_server(
            directory / "replica", port=self.ports.replica, primary=self.primary
        )
        self.object_store = object_store(directory / "object-store", ports=self.ports.object_store)
        self._parts: dict[str, tuple[Part, Service]] = {}
        self._parts_built = False

    @property
    def balancer_url(self) -> str:
        """Where the tier serves: the balancer in front of the web nodes."""
        return f"http://{LOOPBACK}:{self.ports.balancer}"

    @property
    def pooled_database_url(self) -> str:
        """DATABASE_URL of the CityHall processes: the primary through PgBouncer."""
        return (
            f"postgres://{POSTGRES_USER}@{LOOPBACK}:{self.ports.pgbouncer}/{self.primary.database}"
        )

    @property
    def mail_directory(self) -> Path:
        """The Maildir holding every email the tier sent (one file per message in new/)."""
        return servers.mail_directory(self.directory)

    @property
    def api_key(self) -> str:
        """The demo partner's Open311 key, issued at the first start."""
        return (self.directory / "api_key").read_text().strip()

    def env(self, *, pooled: bool = True) -> dict[str, str]:
        """The environment of the CityHall processes; `pooled=False` names the primary itself
        (for migrations and other one-off commands)."""
        redis = f"redis://{LOOPBACK}:{self.ports.redis}"
        env = application.production_env(self.directory, base_url=self.balancer_url)
        env.update(
            DATABASE_URL=self.pooled_database_url if pooled else self.primary.url,
            DATABASE_POOLER="pgbouncer" if pooled else "none",
            DATABASE_REPLICA_URL=self.replica.url,
            CACHE_URL=f"{redis}/1",
            RATE_LIMIT_CACHE_URL=f"{redis}/1",
            REDIS_URL=f"{redis}/0",
            EMAIL_URL=f"smtp://{LOOPBACK}:{self.ports.smtp}",
            MEDIA_STORAGE_URL=self.object_store.media_storage_url,
        )
        return {**env, **self.extra_env}

    @property
    def parts(self) -> dict[str, Part]:
        """Every part by name, in start order."""
        return {name: part for name, (part, _service) in self._all_parts().items()}

    def part(self, name: str) -> Part:
        """One part by name; KeyError naming the known parts otherwise."""
        parts = self.parts
        if name not in parts:
            raise KeyError(f"No part {name!r}; the tier has {', '.join(parts)}.")
        return parts[name]

    def start(self, *, demo_args: tuple[str, ...] = ()) -> None:
        """Start everything not running yet, prepare the database, and wait until the
        balancer sees every web node healthy. `demo_args` go to load_demo_city.

        Independent steps run side by side: the static files are collected while the servers
        start, the servers start together, and so do CityHall's processes.
        """
        missing = servers.missing_servers()
        if missing:
            raise servers.MissingServer(
                f"Missing {', '.join(missing)}: run `make servers` (as root) first."
            )
        self.directory.mkdir(parents=True, exist_ok=True)
        self.layout.save_in(self.directory)
        parts = self.parts
        direct = self.env(pooled=False)
        with ThreadPoolExecutor(max_workers=8) as pool:
            static = pool.submit(application.collect_static, self.directory, direct)
            _all_done(
                [pool.submit(part.start) for name, part in parts.items() if name in SERVERS]
                + [pool.submit(self._start_databases)]
            )
            application.prepare_database(self.directory, direct, demo_args=demo_args)
            static.result()
            _all_done([pool.submit(part.start) for part in parts.values()])
        self.wait_for_balancer()

    def _start_databases(self) -> None:
        # PgBouncer binds its port before the replica's readiness checks make connections
        # whose client ports could take it (see Ports).
        self.primary.start()
        self.primary.create_database()
        self.part("pgbouncer").start()
        self.replica.start()

    def stop(self) -> None:
        """Stop every part: CityHall's processes first (side by side), then PgBouncer and the
        databases, then the other servers."""
        parts = self.parts
        databases = ("pgbouncer", "replica", "primary")
        with ThreadPoolExecutor(max_workers=8) as pool:
            _all_done(
                [
                    pool.submit(part.stop)
                    for name, part in parts.items()
                    if name not in SERVERS + databases
                ]
            )
            for name in databases:
                parts[name].stop()
            _all_done([pool.submit(parts[name].stop) for name in SERVERS])

    def kill(self, name: str) -> None:
        """SIGKILL part `name` and its children at once, with no chance to shut down."""
        self.part(name).kill()

    def start_part(self, name: str) -> None:
        """Start part `name` again (after `kill`), waiting until it listens when it does."""
        self.part(name).start()

    def is_running(self, name: str) -> bool:
        """Whether part `name` runs now (its main process; a starting server counts)."""
        self.part(name)
        return self._all_parts()[name][1].is_running()

    def status(self) -> list[PartStatus]:
        """Every part's pid (None when stopped), port and log file, in start order."""
        return [
            PartStatus(name, service.pid(), service.port, service.log_file)
            for name, (_part, service) in self._all_parts().items()
        ]

    def wait_for_balancer(self, timeout: float = BALANCER_TIMEOUT) -> None:
        """Wait until GET /healthz through the balancer has been answered by every web node."""
        expected = {f"web-{number}" for number in range(1, self.layout.web_nodes + 1)}
        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while seen != expected:
            if time.monotonic() > deadline:
                raise ServiceFailed(
                    f"The balancer saw only {sorted(seen)} healthy; see the web-N logs in "
                    f"{self.directory}"
                )
            node = self.answering_node("/healthz")
            if node:
                seen.add(node)
            else:
                time.sleep(0.2)

    def answering_node(self, path: str) -> str | None:
        """The web node that answered GET `path` through the balancer with 200, or None."""
        try:
            with urllib.request.urlopen(f"{self.balancer_url}{path}", timeout=5) as response:  # noqa: S310
                node: str | None = response.headers.get("X-Cluster-Node")
                return node if response.status == 200 else None
        except (urllib.error.URLError, OSError):
            return None

    def _all_parts(self) -> dict[str, tuple[Part, Service]]:
        if self._parts_built:
            return self._parts
        directory, ports, layout = self.directory, self.ports, self.layout
        env = self.env()
        smtp = servers.smtp_sink_service(directory, port=ports.smtp)
        redis = servers.redis_service(directory, port=ports.redis)
        pgbouncer = servers.pgbouncer_service(
            directory,
            port=ports.pgbouncer,
            database=self.primary.database,
            server_port=ports.primary,
            user=POSTGRES_USER,
        )
        webs = [
            application.web_node(directory, number, port=ports.web(number), env=env)
            for number in range(1, layout.web_nodes + 1)
        ]
        balancer = servers.haproxy_service(
            directory, port=ports.balancer, nodes={web.name: web.port or 0 for web in webs}
        )
        workers = [
            application.rq_worker(directory, number, env=env)
            for number in range(1, layout.workers + 1)
        ]
        schedulers = [
            application.scheduler(directory, number, env=env)
            for number in range(1, layout.schedulers + 1)
        ]
        self._parts = {
            "smtp": (smtp, smtp),
            "redis": (redis, redis),
            "object-store": (self.object_store, self.object_store.service),
            "primary": (self.primary, self.primary.service),
            "replica": (self.replica, self.replica.service),
            "pgbouncer": (pgbouncer, pgbouncer),
            **{web.name: (web, web) for web in webs},
            "balancer": (balancer, balancer),
            **{worker.name: (worker, worker) for worker in workers},
            **{each.name: (each, each) for each in schedulers},
        }
        self._parts_built = True
        return self._parts
