"""Private PostgreSQL servers for the local tier: a primary and a streaming read replica.

Each server is a data directory under its own directory, run as the `postgres` user (the
binaries refuse root) and listening on 127.0.0.1 only, on the port it is given; its Unix socket
sits in its directory, so it never meets the machine's own PostgreSQL. The primary is made by
initdb (trust authentication: nothing but this machine can connect); the replica is a
`pg_basebackup -R` copy of the primary that streams and replays the primary's WAL in hot
standby, answering reads while it does.

    primary = primary_server(Path("/tmp/tier/postgres-primary"), port=55433)
    primary.start()
    primary.create_database()
    replica = replica_server(Path("/tmp/tier/postgres-replica"), port=55434, primary=primary)
    replica.start()
    primary.url, replica.url  # DATABASE_URL and DATABASE_REPLICA_URL

`kill()` SIGKILLs a server, as when the machine loses it; `start()` after it runs crash recovery.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import psycopg
from psycopg import sql

from cluster.processes import LOOPBACK, Service, ServiceFailed

#: Debian's PostgreSQL 15 (postgresql-15); POSTGRES_BIN points elsewhere.
POSTGRES_BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
#: The account the servers run as, and their only (trusted) role.
POSTGRES_USER = "postgres"
#: The application's database, made on the primary by `create_database()`.
APPLICATION_DATABASE = "cityhall"


def binaries_are_installed() -> bool:
    """Whether initdb, postgres, pg_basebackup and pg_ctl are there (tests skip otherwise)."""
    tools = ("initdb", "postgres", "pg_basebackup", "pg_ctl")
    return all((POSTGRES_BIN / tool).is_file() for tool in tools)


class PostgresServer:
    """One PostgreSQL server of the tier, primary or replica, in `directory` on `port`.

    `directory` holds the data directory (`data/`), the server's log, pid file and socket.
    Build one with `primary_server` or `replica_server`; `start()` creates the data directory
    the first time. `settings` are server parameters given on the command line (tests pass
    `fsync=off`: faster, and nothing there must outlive the machine).
    """

    def __init__(
        self,
        directory: Path,
        *,
        port: int,
        database: str = APPLICATION_DATABASE,
        primary: PostgresServer | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.directory = directory
        self.port = port
        self.database = database
        #: The server this one replicates, or None for the primary.
        self.primary = primary
        self.data = directory / "data"
        self.settings = dict(settings or {})
        self.service = Service(
            name="postgres-replica" if primary else "postgres-primary",
            argv=self._argv(),
            directory=directory,
            port=port,
            user=POSTGRES_USER,
        )

    @property
    def url(self) -> str:
        """The DATABASE_URL of the application's database on this server."""
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        """The URL of another database on this server (`postgres` for administration)."""
        return f"postgres://{POSTGRES_USER}@{LOOPBACK}:{self.port}/{database}"

    @property
    def is_replica(self) -> bool:
        return self.primary is not None

    def start(self, timeout: float = 60.0) -> None:
        """Create the data directory if needed, start the server and wait until it answers.

        After `kill()` the server first replays its WAL (crash recovery); this waits for that
        too. A replica's primary must be running the first time (the copy is taken from it).
        """
        self._create()
        deadline = time.monotonic() + timeout
        while True:
            try:
                with warnings.catch_warnings():
                    # The Popen object Service.start drops warns that the server still runs:
                    # it is meant to, under the pid file's watch.
                    warnings.simplefilter("ignore", ResourceWarning)
                    self.service.start()
                break
            except ServiceFailed:
                # Backends of a killed postmaster may still hold its shared memory for a
                # moment; the new postmaster refuses to start until they are gone.
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.wait_until_ready(timeout=max(1.0, deadline - time.monotonic()))

    def stop(self) -> None:
        """Shut down cleanly (fast mode: sessions are ended, a checkpoint is written)."""
        if self.service.is_running():
            self._run(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        self.service.stop()

    def kill(self) -> None:
        """SIGKILL the postmaster and its backends at once, as when the machine loses them."""
        self.service.kill()

    def is_running(self) -> bool:
        return self.service.is_running()

    def is_ready(self) -> bool:
        """Whether the server accepts connections now (not while it starts or recovers)."""
        try:
            with psycopg.connect(self.url_for("postgres"), connect_timeout=2):
                return True
        except psycopg.Error:
            return False

    def wait_until_ready(self, *, timeout: float) -> None:
        """Wait until the server accepts connections; ServiceFailed after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not self.is_ready():
            if time.monotonic() > deadline:
                raise ServiceFailed(
                    f"PostgreSQL on {LOOPBACK}:{self.port} does not accept connections; "
                    f"see {self.service.log_file}"
                )
            time.sleep(0.1)

    def create_database(self) -> None:
        """Create the application's database on the primary, unless it exists already."""
        if self.is_replica:
            raise ValueError("A replica is read-only: create the database on its primary.")
        with psycopg.connect(self.url_for("postgres"), autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.database]
            ).fetchone()
            if not exists:
                connection.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database))
                )

    def destroy(self) -> None:
        """Stop the server and delete its directory (data, log and socket)."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _argv(self) -> list[str]:
        argv = [
            str(POSTGRES_BIN / "postgres"),
            "-D", str(self.data),
            "-p", str(self.port),
            "-c", f"listen_addresses={LOOPBACK}",
            "-c", f"unix_socket_directories={self.directory}",
        ]  # fmt: skip
        if self.is_replica:
            # Answer reads while replaying; tell the primary which rows those reads still
            # need, so that its vacuum does not cancel a long export on the replica.
            argv += ["-c", "hot_standby=on", "-c", "hot_standby_feedback=on"]
        for name, value in self.settings.items():
            argv += ["-c", f"{name}={value}"]
        return argv

    def _create(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.directory, POSTGRES_USER, POSTGRES_USER)
        if self.primary is None:
            self._run(
                POSTGRES_BIN / "initdb", "-D", self.data, "-U", POSTGRES_USER,
                "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
            return
        # -R writes standby.signal and primary_conninfo: the copy starts as a streaming
        # standby. initdb's pg_hba.conf already trusts replication from 127.0.0.1.
        copy: list[str | Path] = [
            POSTGRES_BIN / "pg_basebackup", "-D", self.data, "-R", "-X", "stream",
            "--checkpoint=fast", "-h", LOOPBACK, "-p", str(self.primary.port),
            "-U", POSTGRES_USER,
        ]  # fmt: skip
        if self.settings.get("fsync") == "off":
            copy.append("--no-sync")  # the server would not sync it either
        self._run(*copy)

    def _run(self, *command: str | Path) -> None:
        argv: Sequence[str] = ["runuser", "-u", POSTGRES_USER, "--", *map(str, command)]
        result = subprocess.run(  # noqa: S603 (PostgreSQL's own tools, our arguments)
            argv, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise ServiceFailed(f"{Path(str(command[0])).name} failed:\n{result.stderr}")


def primary_server(
    directory: Path,
    *,
    port: int,
    database: str = APPLICATION_DATABASE,
    settings: Mapping[str, str] | None = None,
) -> PostgresServer:
    """A primary server in `directory` on 127.0.0.1:`port` (made by initdb on first start)."""
    return PostgresServer(directory, port=port, database=database, settings=settings)


def replica_server(directory: Path, *, port: int, primary: PostgresServer) -> PostgresServer:
    """A streaming hot-standby replica of `primary` in `directory` on 127.0.0.1:`port`.

    It runs with the primary's `settings`.
    """
    return PostgresServer(
        directory,
        port=port,
        database=primary.database,
        primary=primary,
        settings=primary.settings,
    )
