"""Shared pieces of the fault suite (issue 13 item 6): bursts of answers, the outcome
figures every test prints, a sweep run the way beat runs it, and a Redis of the test's own.

Sizes come from BACKPROP_FAULT_* environment variables; the defaults fit CI (2 cores), and
the README gives the figures of a full-size run (`pytest -m faults -s`)."""

import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from interviews.grading.sweep import requeue_lost_grades
from interviews.models import Answer, Grade, InterviewSession, Question
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory, UserFactory

logger = logging.getLogger(__name__)

ANSWER = (
    "Expected error is bias squared plus variance plus noise. A simple model underfits with high bias, "
    "a flexible one overfits with high variance; regularisation and more data reduce the variance."
)
QUESTIONS_PER_SESSION = 10

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the fault suite runs on PostgreSQL (DATABASE_URL), as in CI"
)


def size(name: str, default: float) -> float:
    """A size or duration of the suite: BACKPROP_FAULT_<NAME>, else the CI default."""
    return float(os.environ.get(f"BACKPROP_FAULT_{name}", default))


def burst_slots(count: int, candidate=None) -> list[tuple[InterviewSession, Question]]:
    """`count` (session, question) pairs to answer: practice sessions of QUESTIONS_PER_SESSION
    questions from one shared set (each answer is its own row; one per session and question)."""
    questions = [QuestionFactory() for _ in range(QUESTIONS_PER_SESSION)]
    question_set = QuestionSetFactory(questions=questions)
    sessions = -(-count // QUESTIONS_PER_SESSION)
    slots = []
    for _ in range(sessions):
        session = InterviewSessionFactory(candidate=candidate or UserFactory(), question_set=question_set)
        slots += [(session, question) for question in questions]
    return slots[:count]


def answer_text(i: int) -> str:
    return f"{ANSWER} (answer {i})"


@dataclass
class Outcome:
    """What became of a burst's answers, read from the database."""

    submitted: int
    saved: int = 0
    graded_once: int = 0  # exactly one grade row, done, and it is the one that counts
    lost: int = 0  # told saved, not in the database
    stuck: int = 0  # grade still queued or running
    failed: int = 0
    half_saved: int = 0  # an answer without its grade
    extra_grades: int = 0  # grade rows beyond one per answer
    not_graded: list[int] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"submitted {self.submitted}, graded once {self.graded_once}, lost {self.lost}, "
            f"stuck {self.stuck}, failed {self.failed}"
        )


def outcome(texts_told_saved: dict[tuple[int, int], str], submitted: int) -> Outcome:
    """`texts_told_saved`: (session id, question id) -> the text the user was told was saved."""
    result = Outcome(submitted=submitted)
    answers = {
        (a.session_id, a.question_id): a
        for a in Answer.objects.filter(session_id__in={s for s, _ in texts_told_saved}).select_related("counted_grade")
    }
    result.saved = len(answers)
    result.lost = sum(1 for key, text in texts_told_saved.items() if key not in answers or answers[key].text != text)
    grades: dict[int, list[Grade]] = {}
    for grade in Grade.objects.filter(answer__in=answers.values()):
        grades.setdefault(grade.answer_id, []).append(grade)
    for answer in answers.values():
        own = grades.get(answer.pk, [])
        result.half_saved += not own
        result.extra_grades += max(0, len(own) - 1)
        result.stuck += sum(1 for g in own if g.status in {Grade.Status.QUEUED, Grade.Status.RUNNING})
        result.failed += sum(1 for g in own if g.status == Grade.Status.FAILED)
        counted = answer.counted_grade
        if len(own) == 1 and counted is not None and counted.pk == own[0].pk and counted.status == Grade.Status.DONE:
            result.graded_once += 1
        else:
            result.not_graded.append(answer.pk)
    return result


def all_graded(answer_ids) -> bool:
    return not Grade.objects.filter(
        answer_id__in=answer_ids, status__in=[Grade.Status.QUEUED, Grade.Status.RUNNING]
    ).exists()


def report(capsys, line: str) -> None:
    """The suite's figures, printed whether or not pytest captures output."""
    with capsys.disabled():
        load = os.getloadavg()[0]
        print(f"\nfaults: {line} (load average {load:.1f})", flush=True)


@pytest.fixture
def short_sweep_windows(settings):
    """The sweep's windows cut from 60 s (unclaimed) and 30 s (silent heartbeat) so a test
    sees recovery in seconds; workers beat every second to match (worker_env)."""
    settings.GRADE_LOST_AFTER_SECONDS = int(size("LOST_AFTER_SECONDS", 10))
    settings.GRADE_CLAIM_EXPIRES_SECONDS = int(size("CLAIM_EXPIRES_SECONDS", 5))
    return {"GRADE_HEARTBEAT_SECONDS": "1", "GRADE_CLAIM_EXPIRES_SECONDS": str(settings.GRADE_CLAIM_EXPIRES_SECONDS)}


@contextmanager
def sweeping(every: float = 2.0) -> Iterator[list[int]]:
    """Run the sweep every `every` seconds from a thread, as beat does every
    GRADE_SWEEP_SECONDS; yields the list of how many each run re-enqueued."""
    stop = threading.Event()
    requeued: list[int] = []

    def run() -> None:
        try:
            while not stop.wait(every):
                try:
                    requeued.append(requeue_lost_grades())
                except Exception:  # the fault under test (a terminated connection): next run
                    logger.warning("sweep run failed", exc_info=True)
                    connection.close()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="fault-sweep", daemon=True)
    thread.start()
    try:
        yield requeued
    finally:
        stop.set()
        thread.join()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port, so stopping it never touches the
    shared Redis other tests and workers use. No persistence: a restart comes back empty."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.directory)]
        log = open(self.directory / "redis.log", "ab")  # noqa: SIM115  # the process writes it until stop()
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.kill()
