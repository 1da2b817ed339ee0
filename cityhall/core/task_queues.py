"""RQ queues that share one Redis client, and so one connection pool, per process.

django_rq builds a new Redis client (with a new connection pool) for every queue it hands out,
and django_tasks_rq asks for a queue at every enqueue: each task queued by a web request then
opened a TCP connection to Redis, and dropped it, on the request's path. Settings name this
class as RQ's QUEUE_CLASS, so every queue made for the same server reuses the first client
made for it, whose pool keeps its connections open. redis-py's pool notices a fork (RQ's
work horses) and opens new connections in the child.
"""

from __future__ import annotations

import threading
from typing import Any

from django_rq.queues import DjangoRQ
from redis import Redis

_clients: dict[tuple[Any, ...], Redis] = {}
_clients_lock = threading.Lock()


#: What names a server and a login in a pool's connection arguments (the rest holds objects
#: made anew for each client, such as its retry policy).
_SERVER_ARGUMENTS = ("host", "port", "path", "db", "username", "password")


def shared_client(client: Redis) -> Redis:
    """The process's client for the server `client` names (`client` itself the first time)."""
    pool = client.connection_pool
    arguments = pool.connection_kwargs
    key = (pool.connection_class, *(arguments.get(name) for name in _SERVER_ARGUMENTS))
    with _clients_lock:
        return _clients.setdefault(key, client)


class SharedConnectionQueue(DjangoRQ):
    """django_rq's queue, given the process's shared client for its server."""

    def __init__(self, *args: Any, connection: Redis | None = None, **kwargs: Any) -> None:
        if connection is not None:
            connection = shared_client(connection)
        super().__init__(*args, connection=connection, **kwargs)  # type: ignore[no-untyped-call]
