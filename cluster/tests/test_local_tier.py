"""The local tier serves through its balancer from every web node, files onto the primary,
reads from the replica, mails from the workers, keeps photos in the object store, listens on
loopback only and leaves nothing behind when stopped.

One tier serves the whole module (it takes a minute or two to start): its own directory, its
ports moved below Linux's client port range (CLUSTER_TEST_PORT_OFFSET, default -30000), and
a small demo city. The last test stops it. `make test-cluster` runs the module alone in one
process; should pytest-xdist hand its tests to several workers, each starts its own tier on
ports of its own.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests
from PIL import Image

from cityhall.core.testing import require_or_skip
from cluster.postgres import binaries_are_installed
from cluster.processes import is_listening, process_group_members
from cluster.servers import missing_servers
from cluster.tier import Layout, Tier

pytestmark = [pytest.mark.cluster, pytest.mark.tier]

PORT_OFFSET = int(os.environ.get("CLUSTER_TEST_PORT_OFFSET", "-30000"))
#: How far apart the tiers of two xdist workers are: no port of one falls on the other's.
WORKER_PORT_SHIFT = 1500
DEMO_CITY = ("--residents", "20", "--addresses", "120", "--requests", "0")
#: Inside the demo city (its centre).
LATITUDE, LONGITUDE = "45.935", "-73.365"
WAIT_SECONDS = 30.0


@pytest.fixture(scope="module")
def tier():
    missing = missing_servers()
    require_or_skip(not missing, f"{', '.join(missing)} missing: run `make servers`")
    require_or_skip(binaries_are_installed(), "PostgreSQL 15 is not installed")
    directory = Path(tempfile.mkdtemp(prefix="cityhall-tier-"))
    directory.chmod(0o755)  # PostgreSQL and PgBouncer run as postgres and must enter it
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    offset = PORT_OFFSET - WORKER_PORT_SHIFT * worker
    tier = Tier(directory, Layout(web_nodes=2, workers=2, schedulers=2, port_offset=offset))
    taken = [line.name for line in tier.status() if line.port and is_listening(line.port)]
    assert not taken, f"Another tier holds the ports of {taken}; stop it first."
    try:
        tier.start(demo_args=DEMO_CITY)
        yield tier
    finally:
        tier.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def filing(tier):
    """One Open311 filing with a photo and an email, through the balancer."""
    response = requests.post(
        f"{tier.balancer_url}/open311/v2/requests.json",
        data={
            "api_key": tier.api_key,
            "service_code": "pothole",
            "lat": LATITUDE,
            "long": LONGITUDE,
            "attribute[size]": "large",
            "description": "A deep pothole in front of the cluster.",
            "email": "ann.cluster@example.org",
        },
        files={"media": ("street.jpg", _jpeg(), "image/jpeg")},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()[0]["service_request_id"]


def _jpeg():
    path = Path(tempfile.mkdtemp()) / "street.jpg"
    Image.new("RGB", (320, 240), (90, 90, 90)).save(path, format="JPEG")
    return path.read_bytes()


def _eventually(check, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while not (found := check()):
        assert time.monotonic() < deadline, f"Still no {what} after {WAIT_SECONDS:.0f} s"
        time.sleep(0.5)
    return found


def _nodes_answering(tier, path, times=8):
    nodes = set()
    for _ in range(times):
        response = requests.get(f"{tier.balancer_url}{path}", timeout=10)
        assert response.status_code == 200, (path, response.status_code)
        nodes.add(response.headers["X-Cluster-Node"])
    return nodes


def _rows(url, tracking_number):
    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT contact_email FROM servicerequests_servicerequest WHERE tracking_number = %s",
            [tracking_number],
        ).fetchall()


def test_the_balancer_serves_the_home_page_and_health_from_both_nodes(tier):
    assert _nodes_answering(tier, "/healthz") == {"web-1", "web-2"}
    assert _nodes_answering(tier, "/en/") == {"web-1", "web-2"}


def test_a_killed_web_node_leaves_the_other_serving_every_request(tier):
    tier.kill("web-1")
    try:
        assert _nodes_answering(tier, "/healthz", times=12) == {"web-2"}
    finally:
        tier.start_part("web-1")
        tier.wait_for_balancer()


def test_a_filing_is_stored_on_the_primary_and_visible_on_the_replica(tier, filing):
    [(stored_email,)] = _rows(tier.primary.url, filing)
    # Encrypted at rest with the tier's own key (core.encrypted_fields): never the plaintext.
    assert stored_email.startswith("e1:")
    assert "ann.cluster" not in stored_email
    assert _eventually(lambda: _rows(tier.replica.url, filing), "row on the replica")


def test_the_filings_confirmation_is_mailed_by_a_worker(tier, filing):
    def confirmation():
        for path in (tier.mail_directory / "new").glob("*"):
            message = email.message_from_bytes(path.read_bytes())
            if message["To"] == "ann.cluster@example.org" and filing in message["Subject"]:
                return message
        return None

    assert _eventually(confirmation, "confirmation email")
    worker_logs = "".join(
        (tier.directory / f"worker-{number}.log").read_text() for number in (1, 2)
    )
    assert "follow_up_submission" in worker_logs


def test_the_filings_photo_lands_in_the_object_store(tier, filing):
    store = tier.object_store

    def photos():
        with store.client() as client:
            listing = client.list_objects_v2(Bucket=store.bucket, Prefix="requests/")
        return [item["Key"] for item in listing.get("Contents", [])]

    assert _eventually(photos, "photo in the bucket")


def test_two_schedulers_run_and_enqueue_each_jobs_minute_once(tier):
    assert tier.is_running("scheduler-1")
    assert tier.is_running("scheduler-2")
    with psycopg.connect(tier.primary.url) as connection:
        runs = connection.execute("SELECT job, slot FROM core_scheduledrun").fetchall()
    assert runs
    assert len(runs) == len(set(runs))


def test_nothing_the_tier_runs_listens_outside_loopback(tier):
    pids = {
        member for line in tier.status() if line.pid for member in process_group_members(line.pid)
    }
    listening = subprocess.run(
        ["ss", "-H", "-l", "-n", "-p", "-t", "-u"],  # noqa: S607 (iproute2's ss)
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    ours = [line for line in listening if set(map(int, re.findall(r"pid=(\d+)", line))) & pids]

    local = [line.split()[4].rpartition(":") for line in ours]
    assert {address for address, _colon, _port in local} == {"127.0.0.1"}
    assert {line.port for line in tier.status() if line.port} <= {int(port) for *_, port in local}


def test_stopping_the_tier_leaves_no_process_and_no_listener(tier):
    groups = [line.pid for line in tier.status() if line.pid]
    ports = [line.port for line in tier.status() if line.port]

    tier.stop()

    assert [pid for pid in groups if process_group_members(pid)] == []
    assert [port for port in ports if is_listening(port)] == []
    assert not any(line.pid for line in tier.status())
