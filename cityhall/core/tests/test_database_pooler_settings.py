"""DATABASE_POOLER adapts the default database to PgBouncer's transaction mode."""

from __future__ import annotations

import dj_database_url
import pytest
from django.core.exceptions import ImproperlyConfigured

from config.services import database_pooler_settings

POSTGRES = dj_database_url.parse("postgres://cityhall@127.0.0.1:56432/cityhall", conn_max_age=60)


def test_a_direct_connection_is_left_as_it_is():
    assert database_pooler_settings(POSTGRES, "none") == POSTGRES


def test_pgbouncer_turns_off_server_side_cursors_and_prepared_statements():
    database = database_pooler_settings(POSTGRES, "pgbouncer")

    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["prepare_threshold"] is None
    assert database["NAME"] == "cityhall"
    assert database["PORT"] == 56432


def test_pgbouncer_keeps_the_other_connection_options():
    with_options = POSTGRES.copy()
    with_options["OPTIONS"] = {"sslmode": "require"}

    database = database_pooler_settings(with_options, "pgbouncer")

    assert database["OPTIONS"] == {"sslmode": "require", "prepare_threshold": None}
    assert with_options["OPTIONS"] == {"sslmode": "require"}


def test_pgbouncer_in_front_of_sqlite_is_refused():
    sqlite = dj_database_url.parse("sqlite:////tmp/cityhall.sqlite3")

    with pytest.raises(ImproperlyConfigured, match="postgres"):
        database_pooler_settings(sqlite, "pgbouncer")


def test_an_unknown_pooler_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOLER"):
        database_pooler_settings(POSTGRES, "pgpool")
