"""Settings come from the environment, fail closed in production and pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str, load_dotenv
from config.services import (
    cache_settings,
    email_settings,
    rate_limit_cache_settings,
    tasks_settings,
)

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "CITYHALL_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "services.city.example",
    "DATABASE_URL": "postgres://cityhall@127.0.0.1:5432/cityhall",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "TASKS_BACKEND": "rq",
    "EMAIL_URL": "smtp://relay.city.example:587?tls=true",
    "CITYHALL_BASE_URL": "https://services.city.example",
    "FIELD_ENCRYPTION_KEYS": "k2:" + "A" * 43 + "=,k1:" + "B" * 43 + "=",
    "FIELD_HASH_KEYS": "h1:" + "C" * 43 + "=",
}


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Only the variables a real deployment would have: nothing from the test run's own setup.
    inherited = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    clean = {key: value for key, value in os.environ.items() if key in inherited}
    clean.update(env)
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_checks():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "EMAIL_URL",
        "CITYHALL_BASE_URL",
        "FIELD_ENCRYPTION_KEYS",
        "FIELD_HASH_KEYS",
    ],
)
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    env[missing] = ""

    result = _manage(["check"], env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_unset_environment_means_production(monkeypatch):
    result = _manage(["check"], {"CITYHALL_ENV": "", "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_booleans_accept_only_clear_values(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG", False)


def test_integers_are_range_checked(monkeypatch):
    monkeypatch.setenv("RESOLUTION", "16")
    with pytest.raises(ImproperlyConfigured, match="between 0 and 15"):
        env_int("RESOLUTION", 9, minimum=0, maximum=15)
    monkeypatch.setenv("RESOLUTION", "nine")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("RESOLUTION", 9)


def test_lists_choices_and_secret_files(monkeypatch, tmp_path):
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("MODE", "sideways")
    with pytest.raises(ImproperlyConfigured, match="one of"):
        env_choice("MODE", ("up", "down"), "up")
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_str("TOKEN") == "from-a-file"


def test_dotenv_never_overrides_the_environment(monkeypatch, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nFROM_FILE=one\nALREADY_SET='file'\n")
    monkeypatch.setenv("ALREADY_SET", "environment")
    monkeypatch.delenv("FROM_FILE", raising=False)

    load_dotenv(dotenv)

    assert os.environ["FROM_FILE"] == "one"
    assert os.environ["ALREADY_SET"] == "environment"


def test_dotenv_names_the_line_it_cannot_read(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("GOOD=1\nthis is not a setting\n")

    with pytest.raises(ImproperlyConfigured, match=r"\.env:2"):
        load_dotenv(dotenv)


def test_service_urls_translate_to_django_settings():
    assert cache_settings("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
    smtp = email_settings("smtp://user%40city:p%40ss@relay.example:587?tls=true")
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_USE_TLS"]) == (
        "relay.example",
        587,
        True,
    )
    assert (smtp["EMAIL_HOST_USER"], smtp["EMAIL_HOST_PASSWORD"]) == ("user@city", "p@ss")
    assert email_settings("smtps://relay.example")["EMAIL_PORT"] == 465
    tasks, queues = tasks_settings("rq", redis_url="redis://127.0.0.1:6379/2")
    assert tasks["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert set(queues) == set(tasks["default"]["QUEUES"])


@pytest.mark.parametrize(
    ("reader", "url", "message"),
    [
        (cache_settings, "memcached://x", "CACHE_URL: unsupported scheme"),
        (email_settings, "pigeon://roof", "EMAIL_URL: unsupported scheme"),
        (email_settings, "smtp://", "no host"),
        (email_settings, "file://", "needs a directory"),
    ],
)
def test_bad_service_urls_are_rejected_with_the_variable_name(reader, url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        reader(url)


@pytest.mark.parametrize("cache_url", ["locmem://", "dummy://"])
def test_production_refuses_to_count_limits_in_each_process(cache_url):
    result = _manage(["check"], {**PRODUCTION_ENV, "CACHE_URL": cache_url})

    assert result.returncode != 0
    assert "RATE_LIMIT_CACHE_URL" in result.stderr


def test_production_may_count_limits_in_the_database_beside_a_local_cache():
    env = {**PRODUCTION_ENV, "CACHE_URL": "locmem://", "RATE_LIMIT_CACHE_URL": "db://"}

    result = _manage(["check"], env)

    assert result.returncode == 0, result.stderr


def test_the_embedded_tier_counts_limits_in_its_database():
    env = {"CITYHALL_ENV": "development", "CACHE_URL": "locmem://", "RATE_LIMIT_CACHE_URL": ""}
    code = "from django.conf import settings; print(settings.CACHES['ratelimit']['BACKEND'])"

    result = _manage(["shell", "-c", code], env)

    assert result.stdout.strip().splitlines()[-1] == (
        "cityhall.core.counting_cache.CountingDatabaseCache"
    )


def test_limits_count_in_redis_or_the_database():
    assert rate_limit_cache_settings("redis://127.0.0.1:6379/1", production=True)[
        "BACKEND"
    ].endswith("RedisCache")
    assert rate_limit_cache_settings("db://", production=True)["BACKEND"].endswith(
        "CountingDatabaseCache"
    )
    assert rate_limit_cache_settings("locmem://", production=False)["BACKEND"].endswith(
        "LocMemCache"
    )
