"""The sandbox sees the project's Python wherever the project was cloned, /tmp included:
the sandbox's own /tmp is a fresh tmpfs, which must not hide a virtualenv under /tmp."""

import pytest

from interviews.execution import sandbox
from tests.execution.conftest import needs_sandbox

pytestmark = needs_sandbox


def test_a_virtualenv_under_tmp_stays_visible_inside_the_sandbox(tmp_path, monkeypatch):
    base, _ = sandbox.python_paths()
    venv = tmp_path / "clone" / ".venv"  # e.g. a clone in /tmp/backprop
    venv.mkdir(parents=True)
    (venv / "marker").write_text("here")
    assert str(venv).startswith("/tmp/")
    monkeypatch.setattr(sandbox, "python_paths", lambda: (base, str(venv)))
    program = f"import os; print('seen' if os.path.exists({str(venv / 'marker')!r}) else 'hidden')"
    outcome = sandbox.run({}, [f"{base}/bin/python3", "-I", "-c", program], sandbox.Limits(wall_seconds=20))
    assert outcome.returncode == 0, outcome.log
    assert outcome.results.decode().strip() == "seen"


def test_when_python_cannot_start_the_answer_is_not_scored_but_the_grade_retried(softmax_spec, monkeypatch):
    """No interpreter in the sandbox is the installation's fault: grade() raises (run_grade
    retries, then marks the grade failed for staff) instead of scoring every case 0."""
    from interviews.execution.runner import grade

    base, _ = sandbox.python_paths()
    monkeypatch.setattr(sandbox, "python_paths", lambda: (base, "/nonexistent/venv"))
    source = (softmax_spec.directory / "reference.py").read_text()
    with pytest.raises(sandbox.SandboxUnavailable, match="did not start Python"):
        grade(softmax_spec, source)
