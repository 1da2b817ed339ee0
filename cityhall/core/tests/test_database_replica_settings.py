"""DATABASE_REPLICA_URL adds a `replica` database: a PostgreSQL streaming replica of the primary."""

from __future__ import annotations

import dj_database_url
import pytest
from django.core.exceptions import ImproperlyConfigured

from config.services import replica_database_settings

PRIMARY = dj_database_url.parse("postgres://cityhall@127.0.0.1:55433/cityhall", conn_max_age=60)


def test_the_replica_is_read_with_the_primarys_connection_lifetime():
    replica = replica_database_settings(
        "postgres://reader:s%40cret@127.0.0.1:55434/cityhall", primary=PRIMARY
    )

    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("127.0.0.1", 55434, "cityhall")
    assert (replica["USER"], replica["PASSWORD"]) == ("reader", "s@cret")
    assert replica["CONN_MAX_AGE"] == 60


def test_an_unreachable_replica_is_given_up_quickly():
    replica = replica_database_settings("postgres://cityhall@10.0.0.9/cityhall", primary=PRIMARY)

    assert replica["OPTIONS"]["connect_timeout"] == 2


def test_tests_read_the_primarys_test_database_through_the_replica():
    replica = replica_database_settings("postgres://cityhall@10.0.0.9/cityhall", primary=PRIMARY)

    assert replica["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:////tmp/replica.sqlite3", "postgres://"),
        ("mysql://cityhall@10.0.0.9/cityhall", "postgres://"),
        ("ftp://10.0.0.9/cityhall", "DATABASE_REPLICA_URL"),
        ("postgres:///cityhall", "no host"),
        ("postgres://cityhall@10.0.0.9", "no host or database"),
        ("postgres://cityhall@127.0.0.1:55433/cityhall", "primary database itself"),
    ],
)
def test_a_replica_url_that_cannot_be_a_replica_is_refused(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        replica_database_settings(url, primary=PRIMARY)


def test_a_replica_of_sqlite_is_refused():
    sqlite = dj_database_url.parse("sqlite:////tmp/cityhall.sqlite3")

    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        replica_database_settings("postgres://cityhall@10.0.0.9/cityhall", primary=sqlite)
