"""A database cache whose `incr` is atomic, for the rate-limit counts of the embedded tier.

Django's DatabaseCache increments with a read and a separate write, so two processes counting
at once both read 4 and both write 5, and a limit is passed. Here the read and the write are
one transaction holding the row: `SELECT … FOR UPDATE` on PostgreSQL, and on SQLite the write
lock that CityHall's `BEGIN IMMEDIATE` transactions take before reading (config/settings.py).

The table is created by `migrate` (`create_counting_cache_tables`, a post_migrate receiver)
as well as by `createcachetable`.
"""

from __future__ import annotations

import base64
import pickle  # nosec B403: the format Django's own database cache stores
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class CountingDatabaseCache(DatabaseCache):
    """DatabaseCache with an `incr` that concurrent processes cannot interleave."""

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table = table

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        cache_key = self.make_and_validate_key(key, version=version)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        quote = connection.ops.quote_name
        table = quote(self.table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        select = (
            f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608 (quoted names)  # nosec B608
            f"WHERE {quote('cache_key')} = %s{lock}"
        )
        update = f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s"  # noqa: S608  # nosec B608
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(select, [cache_key])
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301 (written by this cache)  # nosec B301
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [encoded, cache_key])
        return int(value)

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        for converter in converters + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return bool(expires < now())


def create_counting_cache_tables(*, using: str = "default", **kwargs: Any) -> None:
    """Create the table of every configured CountingDatabaseCache in database `using`.

    Connected to post_migrate, so `migrate` is the one step a deployment runs.
    """
    for backend in caches.all():
        if (
            isinstance(backend, CountingDatabaseCache)
            and router.db_for_write(backend.cache_model_class) == using
        ):
            call_command("createcachetable", backend.table, database=using, verbosity=0)
