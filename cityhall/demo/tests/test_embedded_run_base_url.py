"""`make run` sends people links to the address it actually serves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cityhall.demo.run import follow_served_address, served_base_url


@pytest.fixture
def environment(monkeypatch):
    """A private copy of the process environment without CITYHALL_BASE_URL."""
    copy = {key: value for key, value in os.environ.items() if key != "CITYHALL_BASE_URL"}
    monkeypatch.setattr(os, "environ", copy)
    return copy


def test_links_follow_the_port_served_with_the_dotenv_make_run_writes(environment, tmp_path):
    example = Path(__file__).resolve().parents[3] / ".env.example"
    dotenv = tmp_path / ".env"
    dotenv.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")

    base_url = follow_served_address(dotenv, served_base_url("127.0.0.1", 8101))

    assert base_url == "http://127.0.0.1:8101"
    assert environment["CITYHALL_BASE_URL"] == "http://127.0.0.1:8101"


def test_an_address_named_in_dotenv_is_kept(environment, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("CITYHALL_BASE_URL=https://tunnel.example\n", encoding="utf-8")

    assert follow_served_address(dotenv, "http://127.0.0.1:8101") == "https://tunnel.example"


def test_an_address_named_in_the_environment_wins_over_dotenv(environment, tmp_path):
    environment["CITYHALL_BASE_URL"] = "https://services.city.example"
    dotenv = tmp_path / ".env"
    dotenv.write_text("CITYHALL_BASE_URL=https://tunnel.example\n", encoding="utf-8")

    assert follow_served_address(dotenv, "http://127.0.0.1:8101") == (
        "https://services.city.example"
    )


def test_a_wildcard_host_is_named_by_this_machine_and_ipv6_is_bracketed():
    assert "0.0.0.0" not in served_base_url("0.0.0.0", 8000)  # noqa: S104
    assert served_base_url("::1", 8000) == "http://[::1]:8000"
