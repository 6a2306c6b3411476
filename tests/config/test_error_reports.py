"""Error pages and reports never show a password inside a URL, nor cookies (issue 10, hole 3)."""

import secrets

import pytest
from django.conf import settings as django_settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from config.error_reports import cleanse_url_credentials

# Made at run time, so the source lines the report quotes cannot contain them.
REDIS, LLM, DB, COOKIE = (f"{kind}-{secrets.token_hex(6)}" for kind in ("redis", "llm", "db", "cookie"))
SECRETS = [REDIS, LLM, DB, COOKIE]


def boom(request: HttpRequest) -> HttpResponse:
    # Like the WSGI environ in the handler's frames: an env URL and the cookie header.
    environ = {"BROKER": django_settings.REDIS_URL, "HTTP_COOKIE": request.META.get("HTTP_COOKIE", "")}
    raise RuntimeError(f"cannot reach {environ['BROKER']}")


urlpatterns = [path("boom/", boom)]


@pytest.mark.parametrize(
    ("raw", "cleansed"),
    [
        ("redis://:pw@h:6379/0", "redis://:********************@h:6379/0"),
        ("postgres://user:pw@db/app", "postgres://user:********************@db/app"),
        ("https://api:k3y@llm.example/v1 and more", "https://api:********************@llm.example/v1 and more"),
        ("http://127.0.0.1:8000/path", "http://127.0.0.1:8000/path"),
    ],
)
def test_passwords_in_urls_are_replaced(raw, cleansed):
    assert cleanse_url_credentials(raw) == cleansed


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [True, False])
def test_the_500_report_shows_no_credentials_with_debug_on_or_off(db, settings, monkeypatch, debug):
    settings.DEBUG = debug
    settings.REDIS_URL = f"redis://:{REDIS}@cache.internal:6379/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    settings.LLM_BASE_URL = f"https://key:{LLM}@llm.internal/v1"
    # The development server copies the environment into every request's META.
    monkeypatch.setenv("DATABASE_URL", f"postgres://app:{DB}@db.internal/app")
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = COOKIE
    response = client.get("/boom/", **{"DATABASE_URL": f"postgres://app:{DB}@db.internal/app"})
    assert response.status_code == 500
    body = response.content.decode()
    if debug:
        assert "Traceback" in body and "cache.internal" in body  # the report is still useful
    assert not [secret for secret in SECRETS if secret in body]


def test_the_reporter_text_for_emails_and_logs_is_cleansed(rf, settings):
    import sys

    from django.views.debug import get_exception_reporter_class

    settings.REDIS_URL = f"redis://:{REDIS}@cache.internal:6379/0"
    request = rf.get("/", HTTP_COOKIE=f"sessionid={COOKIE}", DATABASE_URL=f"postgres://a:{DB}@d/x")
    try:
        boom(request)
    except RuntimeError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
    text = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "cache.internal" in text and not [secret for secret in SECRETS if secret in text]
