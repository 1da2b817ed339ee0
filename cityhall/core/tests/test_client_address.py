"""The client's address is read from X-Forwarded-For as far as the trusted proxies go."""

from __future__ import annotations

import pytest

from cityhall.core import client_address
from cityhall.core.client_address import client_ip_address

PROXY = "10.0.0.5"


def _request(rf, forwarded: str | None = None, peer: str = PROXY):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return rf.get("/", REMOTE_ADDR=peer, **headers)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip_address(_request(rf, "198.51.100.7")) == PROXY


def test_behind_one_proxy_the_rightmost_entry_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip_address(_request(rf, "198.51.100.7")) == "198.51.100.7"


def test_an_address_the_client_wrote_itself_is_never_believed(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # nginx's $proxy_add_x_forwarded_for appends the real peer to what the client sent.
    spoofed = _request(rf, "192.0.2.1, 192.0.2.2, 198.51.100.7")

    assert client_ip_address(spoofed) == "198.51.100.7"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2

    request = _request(rf, "192.0.2.1, 198.51.100.7, 10.0.0.9")

    assert client_ip_address(request) == "198.51.100.7"


@pytest.mark.parametrize(
    "forwarded", [None, "", "not-an-address", "198.51.100.7:4431", "unknown, , "]
)
def test_a_missing_short_or_invalid_header_falls_back_to_the_peer(rf, settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1 if forwarded != "unknown, , " else 2

    assert client_ip_address(_request(rf, forwarded)) == PROXY


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip_address(_request(rf, "198.51.100.7")) == PROXY


def test_ipv6_addresses_are_normalised(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    request = _request(rf, "2001:DB8:0:0:0:0:0:1")

    assert client_ip_address(request) == "2001:db8::1"


def test_an_invalid_peer_gives_no_address(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip_address(_request(rf, peer="")) is None


def test_a_forwarded_header_without_trusted_proxies_is_logged_as_a_likely_mistake(
    rf, settings, caplog
):
    settings.TRUSTED_PROXY_COUNT = 0
    # Logged once per process; earlier tests may have used the once already.
    client_address._warn_of_an_unexpected_proxy.cache_clear()

    client_ip_address(_request(rf, "198.51.100.7"))
    client_ip_address(_request(rf, "198.51.100.8"))

    assert caplog.text.count("TRUSTED_PROXY_COUNT is 0") == 1
