"""A real Celery worker process, against the same broker and test database as the tests."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def database_url(db: dict) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(log_path: Path, queue: str = "celery", **env: str) -> subprocess.Popen:
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
        "--concurrency=1",
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


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
