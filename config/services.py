"""Translate service URLs from the environment into Django settings dictionaries.

Kept apart from settings.py so that each translation can be tested with bad input.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

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
    """Return CACHES["default"] for `locmem://`, `dummy://` or `redis://host:port/db`.

    Redis is reached through core.outage_tolerant_cache: while it is down, the cache misses
    instead of failing the pages that use it.
    """
    parts = urlsplit(url)
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cityhall"}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if parts.scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "cityhall.core.outage_tolerant_cache.OutageTolerantRedisCache",
            "LOCATION": url,
        }
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
    if parts.scheme in {"redis", "rediss"}:
        # Not the outage-tolerant backend: limits must not silently reset while Redis is down.
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
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


#: How long a signed object URL stays valid when one is made (`expiry=` in MEDIA_STORAGE_URL).
#: Pages never link to the store (photos go through their views), so this only bounds a URL
#: an operator makes by hand.
MEDIA_URL_EXPIRY_SECONDS = 60
_MEDIA_URL_MAX_EXPIRY_SECONDS = 3600
_MEDIA_QUERY_NAMES = {"region", "secure", "expiry", "addressing"}
_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def media_storage_settings(url: str) -> dict[str, Any]:
    """Return STORAGES["default"]: local files for "", or S3 for `MEDIA_STORAGE_URL`.

    `s3://ACCESS_KEY:SECRET_KEY@host[:port]/bucket[/prefix]?region=…&secure=…&expiry=…` uses
    django-storages' S3Storage against that endpoint (https unless `secure=false`), in
    `region` (default us-east-1), path-style unless `addressing=virtual`, under `prefix`
    when given. Objects are written private, never overwritten (a taken name gets a
    suffix), and any URL made for one is signed and expires after `expiry` seconds
    (default MEDIA_URL_EXPIRY_SECONDS). Keys are percent-encoded in the URL. Errors raise
    ImproperlyConfigured and never repeat the secret.
    """
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    shown = _without_credentials(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: unsupported scheme {parts.scheme!r} in {shown!r}; expected"
            " s3://ACCESS_KEY:SECRET_KEY@host:port/bucket."
        )
    bucket, _slash, prefix = parts.path.lstrip("/").partition("/")
    query = _media_storage_query(parts.query, shown)
    secure = _media_storage_flag(query.get("secure", "true"), "secure", shown)
    endpoint = f"{'https' if secure else 'http'}://{_media_storage_host(parts, shown)}"
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_media_storage_credentials(parts.username, parts.password, shown),
            "endpoint_url": endpoint,
            "bucket_name": _media_storage_bucket(bucket, shown),
            "location": prefix.strip("/"),
            "region_name": query.get("region", "us-east-1"),
            "use_ssl": secure,
            "signature_version": "s3v4",
            "addressing_style": _media_storage_addressing(query.get("addressing", "path"), shown),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": _media_storage_expiry(query.get("expiry"), shown),
            "file_overwrite": False,
        },
    }


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="…@" + parts.netloc.rpartition("@")[2]).geturl()


def _media_storage_query(query: str, shown: str) -> dict[str, str]:
    values = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(values) - _MEDIA_QUERY_NAMES)
    if unknown:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: unknown parameter {unknown[0]!r} in {shown!r}; known:"
            f" {', '.join(sorted(_MEDIA_QUERY_NAMES))}."
        )
    return {name: given[-1] for name, given in values.items()}


def _media_storage_credentials(
    username: str | None, password: str | None, shown: str
) -> dict[str, str]:
    if not username or not password:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: no access key and secret in {shown!r}; write them as"
            " s3://ACCESS_KEY:SECRET_KEY@host/bucket (percent-encoded)."
        )
    return {"access_key": unquote(username), "secret_key": unquote(password)}


def _media_storage_host(parts: SplitResult, shown: str) -> str:
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"MEDIA_STORAGE_URL: bad port in {shown!r}.") from error
    if not parts.hostname:
        raise ImproperlyConfigured(f"MEDIA_STORAGE_URL: no host in {shown!r}.")
    return parts.hostname if port is None else f"{parts.hostname}:{port}"


def _media_storage_bucket(bucket: str, shown: str) -> str:
    if not _BUCKET_NAME.fullmatch(bucket):
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: {bucket!r} is not a bucket name in {shown!r} (3 to 63"
            " lowercase letters, digits, dots and hyphens, right after the host)."
        )
    return bucket


def _media_storage_flag(value: str, name: str, shown: str) -> bool:
    if value not in {"true", "false"}:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: {name} must be true or false, not {value!r}, in {shown!r}."
        )
    return value == "true"


def _media_storage_addressing(value: str, shown: str) -> str:
    if value not in {"path", "virtual"}:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: addressing must be path or virtual, not {value!r}, in {shown!r}."
        )
    return value


def _media_storage_expiry(value: str | None, shown: str) -> int:
    if value is None:
        return MEDIA_URL_EXPIRY_SECONDS
    if not value.isdigit() or not 1 <= int(value) <= _MEDIA_URL_MAX_EXPIRY_SECONDS:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: expiry must be 1 to {_MEDIA_URL_MAX_EXPIRY_SECONDS} seconds,"
            f" not {value!r}, in {shown!r}."
        )
    return int(value)
