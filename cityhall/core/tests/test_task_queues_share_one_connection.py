"""Queues handed out by django_rq share one Redis client per server (no connection per enqueue)."""

from __future__ import annotations

import django_rq
from redis import Redis

from cityhall.core.task_queues import SharedConnectionQueue, shared_client


def test_every_queue_for_one_server_uses_the_same_client(settings):
    settings.RQ = {"QUEUE_CLASS": "cityhall.core.task_queues.SharedConnectionQueue"}

    first, second = django_rq.get_queue("default"), django_rq.get_queue("email")

    assert isinstance(first, SharedConnectionQueue)
    assert first.connection is second.connection
    assert (
        first.connection.connection_pool
        is django_rq.get_queue("default").connection.connection_pool
    )


def test_clients_for_different_servers_stay_apart():
    one = shared_client(Redis.from_url("redis://127.0.0.1:6379/13"))
    other = shared_client(Redis.from_url("redis://127.0.0.1:6379/12"))

    assert one is not other
    assert shared_client(Redis.from_url("redis://127.0.0.1:6379/13")) is one
