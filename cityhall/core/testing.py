"""Test support shared by every app: personas, real-server guards, the browser.

Registered as a pytest plugin by the root conftest.py. Personas are role names because in a
city platform the role is the point of the test.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def is_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_or_skip(available: bool, reason: str) -> None:
    """Skip with `reason` when something a test needs is missing; under CI=true, fail instead."""
    if available:
        return
    if is_ci():
        pytest.fail(f"{reason} (CI=true: missing servers and data fail the run)")
    pytest.skip(reason)


def server_is_listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def database_aliases(databases: Mapping[str, Mapping[str, Any]]) -> Iterator[None]:
    """Point database aliases at other DATABASES entries for a while, then put them back.

    For tests of database routing: an alias may be new (`replica`) or stand in for one that
    exists (`default`, pointed at a private server). The connections it replaces are kept
    open, so an in-memory test database outlives the swap.
    """
    from django.db import DEFAULT_DB_ALIAS, connections

    filled = connections.configure_settings(
        {
            DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS],
            **{alias: dict(entry) for alias, entry in databases.items()},
        }
    )
    saved = {}
    for alias in databases:
        exists = alias in connections.settings
        saved[alias] = (connections.settings[alias], connections[alias]) if exists else None
        connections.settings[alias] = filled[alias]
        connections[alias] = connections.create_connection(alias)
    try:
        yield
    finally:
        for alias, before in saved.items():
            connections[alias].close()
            if before is None:
                del connections.settings[alias]
                del connections[alias]
            else:
                connections.settings[alias], connections[alias] = before


def shared_data_file(relative: str) -> Path:
    """Path of a file in ../shared/data; skips (fails under CI) when it is not there."""
    path = SHARED_DATA / relative
    require_or_skip(
        path.is_file(), f"{path} is not available (the shared data sits beside the repository)"
    )
    return path


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that check hashing override this themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_caches_after_each_test() -> Iterator[None]:
    """Counters kept in the cache (sign-in limits, rate limits) must not leak between tests."""
    yield
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request or `translation.activate` in one test must not leave another test in French."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def citizen(db: None) -> Any:
    from cityhall.accounts.tests.factories import UserFactory

    return UserFactory(email="camille.citizen@example.org", full_name="Camille Tremblay")


@pytest.fixture
def other_citizen(db: None) -> Any:
    from cityhall.accounts.tests.factories import UserFactory

    return UserFactory(email="olivier.other@example.org", full_name="Olivier Roy")


def _staff(role: str, department_code: str | None, email: str) -> Any:
    from cityhall.accounts.tests.factories import StaffRoleFactory, UserFactory
    from cityhall.catalog.tests.factories import DepartmentFactory

    user = UserFactory(email=email, is_staff=True)
    department = DepartmentFactory(code=department_code) if department_code else None
    StaffRoleFactory(user=user, role=role, department=department)
    return user


@pytest.fixture
def agent(db: None) -> Any:
    return _staff("agent", "public-works", "alex.agent@city.example")


@pytest.fixture
def outside_agent(db: None) -> Any:
    return _staff("agent", "parks", "oscar.outside@city.example")


@pytest.fixture
def supervisor(db: None) -> Any:
    return _staff("supervisor", "public-works", "sam.supervisor@city.example")


@pytest.fixture
def admin(db: None) -> Any:
    return _staff("city_admin", None, "ada.admin@city.example")


@pytest.fixture
def partner(db: None) -> Any:
    from cityhall.accounts.tests.factories import PartnerMembershipFactory

    return PartnerMembershipFactory(user__email="pat.partner@utility.example").user


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the session, driven by Playwright."""
    require_or_skip(
        Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (make installs Debian's chromium)"
    )
    # Playwright's sync API runs an event loop in this thread; the ORM calls tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser tab (own cookies) whose relative URLs go to the live test server."""
    context = chromium.new_context(base_url=live_server.url, locale="en-CA")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def assert_no_serious_accessibility_violations(tab: Any) -> None:
    """Run axe-core on the page and fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    violations = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]
    details = "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in violations
    )
    assert not violations, f"axe found serious violations on {tab.url}:\n{details}"


def loaded_image_width(image: Any) -> int:
    """The natural width of an <img> locator once it has loaded (0 if it failed to load).

    An image may still be arriving when the page says it is ready, so this waits for it.
    """
    width: int = image.evaluate(
        """(img) => img.complete ? img.naturalWidth : new Promise((done) => {
            img.addEventListener("load", () => done(img.naturalWidth));
            img.addEventListener("error", () => done(0));
        })"""
    )
    return width
