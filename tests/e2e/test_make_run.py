"""`make run` serves where its banner says: the web line of the Procfile, started through
honcho by the Makefile's `dev` target as `make run` starts it, answers HTTP on the port
the banner prints, whether or not the user has a PORT of their own set (honcho sets PORT
for every process it starts, from 5000 up, unless told otherwise)."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from accounts.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.e2e.conftest import database_url

pytestmark = pytest.mark.e2e

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(port: int, path: str = "/accounts/login/") -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def dev(tmp_path: Path, port: int, **env: str) -> tuple[subprocess.Popen, Path]:
    environment = {k: v for k, v in os.environ.items() if k not in {"PORT", "BACKPROP_PORT", "MAKEFLAGS"}}
    environment.update(DATABASE_URL=database_url(connection.settings_dict), **env)
    log_path = tmp_path / "make-dev.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "dev", f"BACKPROP_PORT={port}", "PROCESSES=web"],
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make, honcho and runserver in one group, stopped together
        )
    return process, log_path


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.parametrize("user_port", [False, True], ids=["no PORT set", "a PORT of the user's set"])
def test_make_run_serves_on_the_port_its_banner_prints(django_db_setup, tmp_path, user_port):
    port = free_port()
    other = free_port()
    process, log_path = dev(tmp_path, port, **({"PORT": str(other)} if user_port else {}))
    try:
        deadline = time.monotonic() + 90
        status = None
        while status is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.3)
            status = http_status(port)
        log = log_path.read_text(errors="replace")
        assert status == 200, log[-3000:]
        assert http_status(other) is None  # the user's PORT is left alone
    finally:
        stop(process)

    # The banner names that port, with the demo logins, as the last lines before the servers' own logs.
    lines = log.splitlines()
    banner = next(i for i, line in enumerate(lines) if "open http://" in line)
    assert re.search(rf"open http://127\.0\.0\.1:{port}/ ", lines[banner])
    first_server_line = next(i for i, line in enumerate(lines) if "started (pid=" in line)
    assert banner < first_server_line
    assert all(not line.strip() or "demo" in line for line in lines[banner + 1 : first_server_line])
    tail = "\n".join(lines[banner:first_server_line])
    assert DEMO_PASSWORD in tail
    assert all(email in tail for email, _role, _staff in DEMO_ACCOUNTS)
