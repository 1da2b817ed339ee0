"""CityHall's own processes in the local tier: their environment, commands and one-off steps.

The tier runs the production settings (`CITYHALL_ENV=production`), with one documented
difference: it serves plain HTTP on the loopback interface, so `SECURE_SSL_REDIRECT=false`
(there is no TLS to redirect to; HSTS is only ever sent over HTTPS, so it stays as it is).
Everything else production demands is given for real: a secret key, hosts, PostgreSQL,
Redis, an SMTP server and the object store.
"""

from __future__ import annotations

import base64
import secrets
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from cluster.processes import LOOPBACK, Service, basic_env

#: The repository root: manage.py and config.wsgi live here.
ROOT = Path(__file__).resolve().parents[1]
#: Request threads per web node's granian worker (as `make run`'s default).
WEB_THREADS = 4
#: The queues every RQ worker takes, in priority order.
WORKER_QUEUES = ("email", "notifications", "default")


class StepFailed(RuntimeError):
    """A one-off step (migrations, demo city, static files) failed; names its log."""


def secret_key_file(directory: Path) -> Path:
    """The tier's SECRET_KEY, generated on first use and kept (0600) for the next starts."""
    path = directory / "secret_key"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(64))
    return path


def field_key_env(directory: Path) -> dict[str, str]:
    """The tier's encryption and hash keys (core/field_keys.py), generated on first use and kept
    (0600) for the next starts, as the `_FILE` variables every process reads them from."""
    env = {}
    for name in ("FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEYS"):
        path = directory / name.lower()
        if not path.exists():
            directory.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}")
        env[f"{name}_FILE"] = str(path)
    return env


def production_env(directory: Path, *, base_url: str) -> dict[str, str]:
    """The settings every CityHall process of the tier shares, apart from the servers'
    addresses (which the tier adds): production's, served at `base_url` through one proxy."""
    return {
        "CITYHALL_ENV": "production",
        "CITYHALL_DEBUG": "false",
        "SECRET_KEY_FILE": str(secret_key_file(directory)),
        **field_key_env(directory),
        "ALLOWED_HOSTS": f"{LOOPBACK},localhost",
        "CSRF_TRUSTED_ORIGINS": base_url,
        "CITYHALL_BASE_URL": base_url,
        # Plain HTTP on loopback: no TLS to redirect to (see the module's docstring).
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "OUTBOUND_ALLOW_LOOPBACK": "false",
        "TASKS_BACKEND": "rq",
        "MEDIA_ROOT": str(directory / "media"),
        "STATIC_ROOT": str(directory / "static"),
        "LOG_LEVEL": "INFO",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Logs reach their files as they are written, not when a buffer fills.
        "PYTHONUNBUFFERED": "1",
    }


def web_node(directory: Path, number: int, *, port: int, env: Mapping[str, str]) -> Service:
    """Web node `web-<number>`: one granian process group serving the WSGI app on `port`."""
    argv = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", LOOPBACK,
        "--port", str(port), "--workers", "1", "--blocking-threads", str(WEB_THREADS),
        "--no-ws", "config.wsgi:application",
    ]  # fmt: skip
    return _service(f"web-{number}", argv, directory, env, port=port)


def rq_worker(directory: Path, number: int, *, env: Mapping[str, str]) -> Service:
    """RQ worker `worker-<number>`, taking jobs from every queue (email first).

    Each job runs in the worker process itself (`SimpleWorker`): RQ's default worker forks a
    child per job, which then opens its own database and SMTP connections (about 0.65 s a job).
    """
    argv = [
        sys.executable, "manage.py", "rqworker", *WORKER_QUEUES,
        "--job-class", "django_tasks_rq.Job", "--worker-class", "rq.worker.SimpleWorker",
        "--name", f"{directory.name}-worker-{number}",
    ]  # fmt: skip
    return _service(f"worker-{number}", argv, directory, env)


def scheduler(directory: Path, number: int, *, env: Mapping[str, str]) -> Service:
    """Scheduler `scheduler-<number>`: run_scheduler, safe to run beside the others."""
    argv = [sys.executable, "manage.py", "run_scheduler"]
    return _service(f"scheduler-{number}", argv, directory, env)


def _service(
    name: str,
    argv: Sequence[str],
    directory: Path,
    env: Mapping[str, str],
    *,
    port: int | None = None,
) -> Service:
    return Service(
        name=name,
        argv=argv,
        directory=directory,
        port=port,
        env=env,
        cwd=ROOT,
        inherit_env=False,
    )


def run_step(directory: Path, env: Mapping[str, str], *args: str) -> None:
    """Run `python <args>` in the repository to its end with `env`, logging its output and
    duration to `directory/setup.log`. StepFailed (naming the log) when it fails."""
    log = directory / "setup.log"
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 (our own commands)
        [sys.executable, *args],
        cwd=ROOT,
        env={**basic_env(), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    with log.open("a", encoding="utf-8") as output:
        seconds = time.monotonic() - started
        output.write(f"$ {' '.join(args)}  # {seconds:.1f} s\n{result.stdout}{result.stderr}")
    if result.returncode:
        raise StepFailed(f"{' '.join(args[:2])} failed; see {log}:\n{result.stderr[-2000:]}")


def prepare_database(directory: Path, env: Mapping[str, str], *, demo_args: Sequence[str]) -> None:
    """Migrate, load the demo city (unless it is there) and issue the demo partner's key
    (`directory/api_key`) on the first start, all in one process (cluster/prepare.py).

    `env` must name the primary itself: migrations take locks and run DDL that PgBouncer's
    transaction mode would scatter over several server connections.
    """
    run_step(directory, env, "-m", "cluster.prepare", str(directory / "api_key"), *demo_args)


def collect_static(directory: Path, env: Mapping[str, str]) -> None:
    """Collect the static files into the tier's own STATIC_ROOT (`env` names it)."""
    run_step(directory, env, "manage.py", "collectstatic", "--no-input", "-v", "0")
