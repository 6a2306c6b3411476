"""`.env.example` is what its header says: a shell file that `set -a; . ./.env; set +a`
exports in bash and sh, whose values are the defaults settings.py already has."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from honcho.environ import parse as honcho_parse

BASE_DIR = Path(__file__).resolve().parents[2]
CLEAN_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}


def exported_by(shell: str) -> dict[str, str]:
    """The environment a program started after sourcing .env.example sees."""
    result = subprocess.run(
        [shell, "-c", "set -a; . ./.env.example; set +a; exec env -0"],
        cwd=BASE_DIR,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return dict(item.split("=", 1) for item in result.stdout.split("\0") if item)


@pytest.mark.parametrize("shell", ["sh", "bash"])
def test_sourcing_env_example_in_a_shell_exports_every_value_as_written(shell):
    env = exported_by(shell)
    assert env["DEFAULT_FROM_EMAIL"] == "Backprop <noreply@backprop.local>"
    assert env["ALLOWED_HOSTS"] == "localhost,127.0.0.1,[::1]"
    assert env["GRADER"] == "auto"
    assert env["LLM_TIMEOUT_SECONDS"] == "60"
    assert env["DATABASE_URL"] == ""
    assert env["DEBUG"] == ""  # so `make run` still turns DEBUG on unless the user sets it


def test_honcho_reads_a_copied_env_file_as_the_shell_does():
    # honcho (`make run`) also reads a .env file by itself, with its own parser.
    text = (BASE_DIR / ".env.example").read_text()
    shell = exported_by("sh")
    names = re.findall(r"^([A-Z_][A-Z0-9_]*)=", text, flags=re.MULTILINE)
    # honcho skips empty values, which leaves those settings at their defaults just the same.
    assert honcho_parse(text) == {name: shell[name] for name in names if shell[name]}


def test_the_example_values_are_the_settings_defaults():
    def settings_with(prefix: str) -> str:
        command = f"{prefix}exec {sys.executable} manage.py diffsettings --all"
        result = subprocess.run(
            ["sh", "-c", command], cwd=BASE_DIR, env=CLEAN_ENV, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert settings_with("set -a; . ./.env.example; set +a; ") == settings_with("")
