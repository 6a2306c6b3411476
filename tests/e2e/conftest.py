"""A real Celery worker process, against the same broker and test database as the tests,
and headless Debian Chromium (Playwright) for the browser tests."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]

# Playwright's sync API runs an event loop in the test thread; Django's guard against ORM
# calls from async code would otherwise trip on the tests' own database reads.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def database_url(db: dict) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(log_path: Path, queue: str = "celery", concurrency: int = 1, **env: str) -> subprocess.Popen:
    """A real `celery worker` process on the test database and the configured broker.

    It runs in its own process group so a test can kill it, children included."""
    environment = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict), **env}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        f"--concurrency={concurrency}",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        "-Q",
        queue,
        "-n",
        f"e2e-{queue}-{os.getpid()}-{time.time_ns()}@%h",
    ]
    start = log_path.stat().st_size if log_path.exists() else 0  # this worker's part of a shared log
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 120
    while b" ready." not in log_path.read_bytes()[start:]:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("The Celery worker did not start:\n" + log_path.read_text(errors="replace")[-4000:])
        time.sleep(0.2)
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, tmp_path_factory):
    from config.celery import app

    app.control.purge()  # stale messages from an earlier run would only add noise
    process = start_worker(tmp_path_factory.mktemp("worker") / "worker.log")
    yield process
    stop_worker(process)


@contextmanager
def grading_routed_to(queue: str, purge_after: bool = False) -> Iterator[None]:
    """Publish grade_answer messages to `queue` meanwhile: a queue only this test's workers
    read, or none does (`purge_after` then drops what was left so later tests never see it)."""
    from config.celery import app

    before = app.conf.task_routes
    app.conf.update(task_routes={"interviews.tasks.grade_answer": {"queue": queue}})
    try:
        yield
    finally:
        app.conf.update(task_routes=before)
        if purge_after:
            with app.connection_for_write() as conn:
                conn.default_channel.queue_purge(queue)


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Opens a page in a fresh browser context (its own cookies: one per user)."""
    contexts = []

    def open_page():
        # The app's Content-Security-Policy is enforced, as for a user: a script or style it
        # refuses fails the test that needs it (the code editor was once drawn unstyled while
        # these tests bypassed it). Wait with expect(), not wait_for_function, whose string
        # the policy (no unsafe-eval) refuses.
        context = browser.new_context(accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
