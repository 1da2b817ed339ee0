"""The tier's generated configuration is valid, binds loopback only, and refuses bad layouts,
without starting anything."""

from __future__ import annotations

import subprocess

import pytest

from cityhall.core.testing import require_or_skip
from cluster import servers
from cluster.tier import Layout, Ports, Tier


def test_the_balancer_configuration_is_valid_and_listens_on_loopback_only(tmp_path):
    require_or_skip(not servers.missing_servers(), "haproxy is not installed: run make servers")
    balancer = servers.haproxy_service(tmp_path, port=28000, nodes={"web-1": 28001})
    config = tmp_path / "haproxy.cfg"

    checked = subprocess.run(  # noqa: S603 (haproxy's own check of our file)
        [servers.server_binary("haproxy"), "-c", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stderr
    binds = [line.split()[1] for line in config.read_text().splitlines() if "bind" in line]
    assert binds == ["127.0.0.1:28000"]
    assert balancer.port == 28000


def test_a_missing_server_names_the_command_that_installs_it(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name, path=None: None)

    with pytest.raises(servers.MissingServer, match="make servers"):
        servers.server_binary("pgbouncer")
    assert servers.missing_servers() == ["redis-server", "pgbouncer", "haproxy"]


def test_the_tests_offset_moves_every_port_below_the_client_port_range():
    ports = Ports(offset=-30000)

    every = [ports.balancer, ports.web(50), ports.primary, ports.replica, ports.pgbouncer]
    every += [ports.redis, ports.smtp, *ports.object_store.all()]

    assert max(every) < 32768
    assert min(every) >= 1024


def test_an_offset_that_leaves_the_port_range_is_refused():
    with pytest.raises(ValueError, match="outside 1024 to 65535"):
        Ports(offset=7000)


def test_a_tier_without_web_nodes_or_workers_is_refused():
    with pytest.raises(ValueError, match="web nodes"):
        Layout(web_nodes=0)
    with pytest.raises(ValueError, match="worker"):
        Layout(workers=0)


def test_the_parts_are_named_for_the_fault_benchmark(tmp_path):
    tier = Tier(tmp_path, Layout(web_nodes=3, workers=2, schedulers=2, port_offset=-30000))

    assert list(tier.parts) == [
        "smtp", "redis", "object-store", "primary", "replica", "pgbouncer",
        "web-1", "web-2", "web-3", "balancer", "worker-1", "worker-2",
        "scheduler-1", "scheduler-2",
    ]  # fmt: skip
    assert tier.balancer_url == "http://127.0.0.1:28000"


def test_the_web_nodes_reach_the_primary_through_pgbouncer_and_migrations_do_not(tmp_path):
    tier = Tier(tmp_path, Layout(port_offset=-30000))

    pooled, direct = tier.env(), tier.env(pooled=False)

    assert pooled["DATABASE_URL"] == "postgres://postgres@127.0.0.1:26432/cityhall"
    assert pooled["DATABASE_POOLER"] == "pgbouncer"
    assert direct["DATABASE_URL"] == "postgres://postgres@127.0.0.1:25433/cityhall"
    assert direct["DATABASE_POOLER"] == "none"
    assert pooled["CITYHALL_ENV"] == "production"
    assert pooled["SECURE_SSL_REDIRECT"] == "false"
