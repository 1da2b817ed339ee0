"""The local tier's off-the-shelf servers: Redis, PgBouncer, HAProxy and an SMTP sink.

Each function writes the server's configuration under `directory` and returns its `Service`;
every one listens on 127.0.0.1 only. PgBouncer and HAProxy are Debian's packages (`make
servers` installs them), Redis is Debian's `redis-server`, and the SMTP sink is aiosmtpd's
Maildir handler from the locked dependencies.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from cluster.processes import LOOPBACK, Service

#: The Debian packages that provide each server binary, for the install hint.
PACKAGES = {"redis-server": "redis-server", "pgbouncer": "pgbouncer", "haproxy": "haproxy"}
#: The account PgBouncer runs as: it refuses to run as root.
PGBOUNCER_USER = "postgres"


class MissingServer(RuntimeError):
    """A server binary is not installed; the message names the Debian package."""


def server_binary(name: str) -> str:
    """The path of `name` (redis-server, pgbouncer, haproxy); MissingServer when absent."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if found is None:
        raise MissingServer(
            f"{name} is not installed: run `make servers` (apt-get install {PACKAGES[name]})."
        )
    return found


def missing_servers() -> list[str]:
    """The names of the server binaries this machine lacks (empty when all are there)."""
    missing = []
    for name in PACKAGES:
        try:
            server_binary(name)
        except MissingServer:
            missing.append(name)
    return missing


def redis_service(directory: Path, *, port: int) -> Service:
    """A private Redis for the cache and the RQ queues.

    It never evicts (queues must not lose jobs) and appends every write to its log (AOF), so a
    killed Redis comes back with its queued jobs, as the production advice says.
    """
    data = directory / "redis"
    data.mkdir(parents=True, exist_ok=True)
    argv = [
        server_binary("redis-server"),
        "--bind", LOOPBACK, "--port", str(port), "--unixsocket", "",
        "--protected-mode", "yes", "--daemonize", "no", "--dir", str(data),
        "--save", "", "--appendonly", "yes", "--maxmemory-policy", "noeviction",
    ]  # fmt: skip
    return Service(name="redis", argv=argv, directory=directory, port=port)


def pgbouncer_service(
    directory: Path, *, port: int, database: str, server_port: int, user: str
) -> Service:
    """PgBouncer in transaction mode in front of the primary's `database` on `server_port`.

    Many web threads and workers share a few server connections, each held for one
    transaction only; Django reaches it with DATABASE_POOLER=pgbouncer. The primary trusts
    127.0.0.1, so PgBouncer trusts its clients too (the user must still be in its auth file,
    which holds no secret). Its files are readable by all: it runs as `PGBOUNCER_USER`.
    """
    config_dir = directory / "pgbouncer"
    config_dir.mkdir(parents=True, exist_ok=True)
    auth_file = config_dir / "userlist.txt"
    auth_file.write_text(f'"{user}" ""\n')
    config = config_dir / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"{database} = host={LOOPBACK} port={server_port} dbname={database} user={user}\n"
        "\n[pgbouncer]\n"
        f"listen_addr = {LOOPBACK}\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {auth_file}\n"
        "pool_mode = transaction\n"
        "max_client_conn = 500\n"
        "default_pool_size = 20\n"
        # psycopg asks for no such parameters, but some clients set this one at connection.
        "ignore_startup_parameters = extra_float_digits\n"
        # A killed primary comes back within seconds: retry instead of failing the clients.
        "server_login_retry = 1\n"
        # Every web thread connects now and then: its log would be mostly logins.
        "log_connections = 0\n"
        "log_disconnections = 0\n"
    )
    return Service(
        name="pgbouncer",
        argv=[server_binary("pgbouncer"), str(config)],
        directory=directory,
        port=port,
        user=PGBOUNCER_USER,
    )


def haproxy_service(directory: Path, *, port: int, nodes: dict[str, int]) -> Service:
    """HAProxy on `port`, balancing `nodes` (name: port) round robin.

    It checks each node with GET /healthz every second and takes it out after two failures; a
    request whose node refuses the connection, or a GET or HEAD whose node dies before
    answering, is sent to another (a POST then gets 502: it may have been stored). It appends the
    client's address to X-Forwarded-For (hence TRUSTED_PROXY_COUNT=1), says the request came
    over plain HTTP, and names the node that answered in `X-Cluster-Node`.
    """
    config = directory / "haproxy.cfg"
    servers = "".join(
        f"    server {name} {LOOPBACK}:{node_port} check inter 1s fall 2 rise 1\n"
        for name, node_port in nodes.items()
    )
    config.write_text(
        "global\n"
        "    log stdout format raw local0\n"
        "    maxconn 2000\n"
        "\ndefaults\n"
        "    mode http\n"
        "    log global\n"
        "    option httplog\n"
        "    option redispatch\n"
        # Retrying a request needs its body: keep small ones whole (photos are not retried).
        "    option http-buffer-request\n"
        "    retries 3\n"
        # A node that died leaves refused connections and broken kept-alive ones: send the
        # request to another node, unless it may have changed something there already.
        "    retry-on conn-failure empty-response response-timeout\n"
        "    timeout connect 2s\n"
        "    timeout client 60s\n"
        "    timeout server 60s\n"
        "\nfrontend cityhall\n"
        f"    bind {LOOPBACK}:{port}\n"
        "    option forwardfor\n"
        "    http-request set-header X-Forwarded-Proto http\n"
        # A request carrying an Idempotency-Key (Open311 and API filings) is safe to send again:
        # the platform answers a repeat with the first answer and stores nothing new.
        "    http-request disable-l7-retry if !METH_GET !{ req.hdr(Idempotency-Key) -m found }\n"
        "    default_backend web\n"
        "\nbackend web\n"
        "    balance roundrobin\n"
        "    option httpchk\n"
        f"    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host {LOOPBACK}\n"
        "    http-check expect status 200\n"
        "    http-response set-header X-Cluster-Node %[srv_name]\n"
        f"{servers}"
    )
    return Service(
        name="balancer",
        argv=[server_binary("haproxy"), "-db", "-f", str(config)],
        directory=directory,
        port=port,
    )


def smtp_sink_service(directory: Path, *, port: int) -> Service:
    """An SMTP server that keeps every message it is given in the Maildir `directory/mail`."""
    return Service(
        name="smtp",
        argv=[
            *(sys.executable, "-m", "aiosmtpd", "--nosetuid", "--listen", f"{LOOPBACK}:{port}"),
            *("--class", "aiosmtpd.handlers.Mailbox", str(mail_directory(directory))),
        ],
        directory=directory,
        port=port,
    )


def mail_directory(directory: Path) -> Path:
    """Where the SMTP sink keeps the messages (a Maildir: new/ holds one file per message)."""
    return directory / "mail"
