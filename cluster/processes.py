"""Start, watch and stop the local cluster's server processes.

Every server the cluster runs (PostgreSQL, PgBouncer, Redis, the object store, the balancer,
web nodes, workers, schedulers) is one `Service`: a command, a log file and a pid file under the
cluster's directory, listening (when it listens) on 127.0.0.1 only. A `Service` can be started,
stopped politely (SIGTERM, then SIGKILL), killed outright (SIGKILL, as a machine loses a process)
and started again, which is what the fault-injection benchmark does to each part.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
#: What a service started with `inherit_env=False` still takes from this process's environment.
BASIC_ENV = frozenset({"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "VIRTUAL_ENV"})


class ServiceFailed(RuntimeError):
    """A server did not start, or did not start listening, in time; the message names its log."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for test-started servers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def is_listening(port: int, host: str = LOOPBACK) -> bool:
    """Whether a TCP connection to host:port is accepted now."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for_port(port: int, *, timeout: float, host: str = LOOPBACK) -> bool:
    """Wait until host:port accepts connections; False when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_listening(port, host):
            return True
        time.sleep(0.1)
    return False


def basic_env() -> dict[str, str]:
    """The variables of this process's environment that every command needs (PATH, locale)."""
    return {name: value for name, value in os.environ.items() if name in BASIC_ENV}


def process_group_members(pgid: int) -> list[int]:
    """The ids of the live processes (zombies excluded) in process group `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        stat = _stat(int(entry.name)) if entry.name.isdigit() else None
        if stat is not None and stat[0] != "Z" and int(stat[2]) == pgid:
            members.append(int(entry.name))
    return members


def _stat(pid: int) -> list[str] | None:
    """Fields 3 onwards of /proc/<pid>/stat (state, parent, process group …), None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces: the fields after it follow the last ")".
    return stat.rpartition(")")[2].split()


def _state(pid: int) -> str | None:
    stat = _stat(pid)
    return stat[0] if stat else None


def pid_is_alive(pid: int) -> bool:
    """Whether a process with this id exists (a zombie of ours counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        finished, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: alive unless it waits for init to reap it
        return _state(pid) not in {None, "Z"}
    return finished == 0


@dataclass
class Service:
    """One server process of the cluster, remembered by a pid file so another process can stop it.

    `port` (when the server listens) is what `start` waits for. `user` runs the command as that
    account through runuser (PostgreSQL refuses to run as root). The process gets its own
    process group, so stopping it also stops the children it forked (web server workers).
    `inherit_env=False` gives the command only `env` and the basics of this process's
    environment (PATH, HOME, locale), so nothing the caller runs under leaks into it.
    """

    name: str
    argv: Sequence[str]
    directory: Path
    port: int | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    user: str | None = None
    cwd: Path | None = None
    start_timeout: float = 30.0
    inherit_env: bool = True
    #: The process this handle started, kept so that it is not reported as abandoned.
    _process: subprocess.Popen[bytes] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def pid_file(self) -> Path:
        return self.directory / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.directory / f"{self.name}.log"

    def pid(self) -> int | None:
        """The running process's id, or None when it is not running."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if self._process is not None and self._process.pid == pid:
            # Polling through Popen reaps it and records its exit, so it is not reported
            # as abandoned later.
            return pid if self._process.poll() is None else None
        return pid if pid_is_alive(pid) else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def start(self) -> None:
        """Start the server (unless it runs already) and wait until its port answers."""
        if self.is_running():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        argv = list(self.argv)
        if self.user:
            argv = ["runuser", "-u", self.user, "--", *argv]
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 (the cluster's own server commands)
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**self._inherited_env(), **self.env},
                cwd=self.cwd,
                start_new_session=True,
            )
        self._process = process
        self.pid_file.write_text(f"{process.pid}\n")
        if self.port is None:
            return
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if is_listening(self.port):
                return
            if process.poll() is not None:
                break
            time.sleep(0.1)
        raise ServiceFailed(
            f"{self.name} did not start listening on {LOOPBACK}:{self.port}; see {self.log_file}"
        )

    def _inherited_env(self) -> dict[str, str]:
        return dict(os.environ) if self.inherit_env else basic_env()

    def kill(self) -> None:
        """SIGKILL the whole process group at once: no shutdown, as when a machine dies."""
        self._signal_group(signal.SIGKILL)
        self._wait_gone(timeout=10.0)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the process group, then SIGKILL whatever is left after `timeout` seconds."""
        if self._signal_group(signal.SIGTERM) and not self._wait_gone(timeout):
            self.kill()
        self.pid_file.unlink(missing_ok=True)

    def _signal_group(self, signum: signal.Signals) -> bool:
        pid = self.pid()
        if pid is None:
            return False
        try:
            os.killpg(pid, signum)
        except ProcessLookupError:
            return False
        return True

    def _wait_gone(self, timeout: float) -> bool:
        """Wait until the leader and every process of its group are gone."""
        pid = self.pid()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.is_running() and (pid is None or not process_group_members(pid)):
                return True
            time.sleep(0.05)
        return False
