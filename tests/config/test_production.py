"""The production settings (issue 13 item 1): they refuse the development SECRET_KEY with
DEBUG off, `check --deploy` is clean once the environment says so, the cache is Redis when
REDIS_URL is set (so login rate limits hold across web processes), every response carries a
CSP without 'unsafe-inline' and a request id, and logs are JSON lines carrying that id."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from config.logs import ContextFilter, JsonFormatter

BASE_DIR = Path(__file__).resolve().parents[2]
# Not the test run's environment (PYTEST_VERSION lets the suite's own processes keep the default key).
BASE_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
PRODUCTION = {
    **BASE_ENV,
    "DEBUG": "false",
    "SECRET_KEY": "x7R0-production-test-key-with-enough-entropy-Qm3v9Lk2Zp8Wn4Tb6Yc1Hd5Jf",
    "ALLOWED_HOSTS": "backprop.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "true",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_a_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_it():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**BASE_ENV, "DEBUG": "true"})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr


def test_debug_off_with_the_development_secret_key_refuses_to_start():
    def start_web(env: dict[str, str]) -> subprocess.CompletedProcess:
        # What config/wsgi.py (gunicorn) and the Celery workers and beat call as they start.
        return manage(
            "shell", "-c", "from config.checks import refuse_default_secret_key; refuse_default_secret_key()", env=env
        )

    refused = start_web({**BASE_ENV, "DEBUG": "false"})
    assert refused.returncode != 0
    assert "SECRET_KEY is the development default" in refused.stderr
    assert start_web({**BASE_ENV, "DEBUG": "false", "SECRET_KEY": PRODUCTION["SECRET_KEY"]}).returncode == 0
    assert start_web({**BASE_ENV, "DEBUG": "true"}).returncode == 0  # a local run keeps the default
    for entry_point in ("config/wsgi.py", "config/celery.py"):
        assert "refuse_default_secret_key()" in (BASE_DIR / entry_point).read_text()


def test_the_cache_is_redis_when_redis_url_is_set():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    with_redis = manage("shell", "-c", code, env={**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    without = manage("shell", "-c", code, env=PRODUCTION)
    assert with_redis.stdout.split()[-1] == "django.core.cache.backends.redis.RedisCache", with_redis.stderr
    assert without.stdout.split()[-1] == "django.core.cache.backends.locmem.LocMemCache", without.stderr


@pytest.mark.django_db
def test_login_rate_limit_counters_live_in_the_configured_cache(client, user, settings):
    # The test's own key prefix (tests/conftest.py) starts it empty, Redis or not.
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong password"})
    backend = cache._cache  # type: ignore[attr-defined]
    if isinstance(backend, dict):  # per-process memory, without Redis
        keys = list(backend)
    else:  # Redis, shared by every web process
        prefix = settings.CACHES["default"]["KEY_PREFIX"]
        keys = [key.decode() for key in backend.get_client().scan_iter(f"{prefix}:*")]
    assert any("allauth" in key or "rl" in key for key in keys), keys


@pytest.mark.django_db
def test_responses_carry_a_csp_without_unsafe_inline_and_a_request_id(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert len(response["X-Request-ID"]) == 32
    assert client.get(reverse("account_login"), headers={"X-Request-ID": "proxy-abc.123"})["X-Request-ID"] == (
        "proxy-abc.123"
    )
    forged = client.get(reverse("account_login"), headers={"X-Request-ID": 'x"\n{"level": "fake"}'})
    assert forged["X-Request-ID"] != 'x"\n{"level": "fake"}'


@pytest.mark.django_db
def test_log_lines_are_json_with_the_request_id(client, caplog):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(ContextFilter())
    logging.getLogger("django.request").addHandler(handler)
    try:
        response = client.get("/no-such-page/", headers={"X-Request-ID": "req-42"})
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert response.status_code == 404
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["request_id"] == "req-42" and line["level"] == "WARNING" and "Not Found" in line["message"]
