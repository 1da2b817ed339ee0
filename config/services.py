"""Translate service URLs from the environment into Django settings dictionaries.

Kept apart from settings.py so that each translation can be tested with bad input.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from dj_database_url import DBConfig
from django.core.exceptions import ImproperlyConfigured

#: Connection poolers DATABASE_POOLER may name; "none" is a direct connection to the server.
DATABASE_POOLERS = ("none", "pgbouncer")


def database_pooler_settings(database: DBConfig, pooler: str) -> DBConfig:
    """Return `database` (a DATABASES entry) adapted to reach PostgreSQL through `pooler`.

    PgBouncer in transaction mode gives each transaction whichever server connection is free,
    so nothing may outlive a transaction on the server: no server-side cursors (iterating a
    queryset outside a transaction would lose its cursor) and no prepared statements (psycopg
    would find them missing on another connection, or another client's on its own).
    """
    if pooler not in DATABASE_POOLERS:
        raise ImproperlyConfigured(
            f"DATABASE_POOLER must be one of {', '.join(DATABASE_POOLERS)}, not {pooler!r}."
        )
    if pooler == "none":
        return database
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_POOLER=pgbouncer needs a postgres:// DATABASE_URL.")
    pooled = database.copy()
    pooled["DISABLE_SERVER_SIDE_CURSORS"] = True
    pooled["OPTIONS"] = {**database.get("OPTIONS", {}), "prepare_threshold": None}
    return pooled


def replica_database_settings(url: str, *, primary: DBConfig) -> DBConfig:
    """Return DATABASES["replica"] for DATABASE_REPLICA_URL, a streaming replica of `primary`.

    Both must be PostgreSQL. The replica keeps the primary's connection lifetime, gives up
    connecting after 2 seconds (an unreachable replica is then skipped, see
    cityhall/core/db_routing.py) and, in tests, reads the primary's test database.
    """
    try:
        replica = dj_database_url.parse(url)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL: {error}") from error
    postgres = "django.db.backends.postgresql"
    if replica["ENGINE"] != postgres or primary["ENGINE"] != postgres:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs a postgres:// replica of a postgres:// DATABASE_URL."
        )
    if not replica.get("HOST") or not replica.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL: no host or database in {url!r}.")
    if (replica["HOST"], replica.get("PORT"), replica["NAME"]) == (
        primary.get("HOST"),
        primary.get("PORT"),
        primary.get("NAME"),
    ):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL names the primary database itself.")
    replica["CONN_MAX_AGE"] = primary.get("CONN_MAX_AGE", 0)
    replica["CONN_HEALTH_CHECKS"] = primary.get("CONN_HEALTH_CHECKS", False)
    replica["OPTIONS"] = {**replica.get("OPTIONS", {}), "connect_timeout": 2}
    replica["TEST"] = {"MIRROR": "default"}
    return replica


def cache_settings(url: str) -> dict[str, Any]:
    """Return CACHES["default"] for `locmem://`, `dummy://` or `redis://host:port/db`."""
    parts = urlsplit(url)
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cityhall"}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if parts.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL: unsupported scheme {parts.scheme!r} in {url!r}.")


#: The table of the database counting cache (`db://`), made by `migrate` (core.counting_cache).
RATE_LIMIT_TABLE = "cityhall_rate_limit_counts"


def rate_limit_cache_settings(url: str, *, production: bool) -> dict[str, Any]:
    """Return CACHES["ratelimit"], where rate limits and sign-in limits count.

    `redis://…` shares the counts through Redis and `db://` through the database (atomic
    increments, see cityhall/core/counting_cache.py): both hold however many processes serve.
    `locmem://` counts in each process, so N processes let N times the limit through, and
    `dummy://` counts nothing: production refuses both.
    """
    parts = urlsplit(url)
    if parts.scheme == "db":
        return {
            "BACKEND": "cityhall.core.counting_cache.CountingDatabaseCache",
            "LOCATION": RATE_LIMIT_TABLE,
            # Culling deletes expired counts first; live ones only past this many rows.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if production and parts.scheme in {"locmem", "dummy"}:
        raise ImproperlyConfigured(
            f"RATE_LIMIT_CACHE_URL: {url!r} counts in each process, so limits would not hold"
            " across web processes. Use redis://… (or CACHE_URL=redis://…) or db://."
        )
    return cache_settings(url)


def email_settings(url: str) -> dict[str, Any]:
    """Return the EMAIL_* settings for `smtp://`, `smtps://`, `console://`, `file:///dir` or `locmem://`.

    `smtp://user:password@host:port?tls=true` uses STARTTLS; `smtps://` uses implicit TLS.
    """
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL: unsupported scheme {parts.scheme!r} in {url!r}.")
    result: dict[str, Any] = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(
                "EMAIL_URL: file:// needs a directory, as in file:///var/mail."
            )
        result["EMAIL_FILE_PATH"] = parts.path
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"EMAIL_URL: no host in {url!r}.")
        query = parse_qs(parts.query)
        result.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", ["false"])[0].lower() == "true",
            EMAIL_TIMEOUT=10,
        )
    return result


def tasks_settings(backend: str, *, redis_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (TASKS, RQ_QUEUES) for the `database`, `rq` or `immediate` backend."""
    queues = ["default", "email", "notifications"]
    backends = {
        "database": "django_tasks_db.DatabaseBackend",
        "rq": "django_tasks_rq.RQBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    }
    if backend not in backends:
        raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(backends)}.")
    tasks = {"default": {"BACKEND": backends[backend], "QUEUES": queues}}
    rq_queues = {name: {"URL": redis_url, "DEFAULT_TIMEOUT": 300} for name in queues}
    return tasks, rq_queues
