"""A worker grading marks its grade alive every GRADE_HEARTBEAT_SECONDS.

A grade may rightly run for minutes (LLM calls, a code run: up to the task's time limit),
so the age of a claim cannot tell a slow grade from one whose worker was killed. A silent
heartbeat can, within GRADE_CLAIM_EXPIRES_SECONDS: the sweep then takes the grade back
(interviews/grading/sweep.py). A hung grade is no exception: its time limit kills it, and
its heartbeat stops with it."""

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from interviews.models import Grade

logger = logging.getLogger(__name__)

# One beating thread per process, for every grade the process is running: starting and
# joining a thread per grade cost 5-6 ms of a 40 ms grade on a busy machine.
_beating: dict[int, tuple[int, float]] = {}  # grade id -> (attempt, when its next beat is due)
_lock = threading.Lock()
_thread: threading.Thread | None = None
_wake = threading.Event()  # a new grade: sleep no longer than its interval (tests shorten it)
TICK = 0.5  # the most a beat is late, in seconds


def _beat_due() -> None:
    now = time.monotonic()
    interval = settings.GRADE_HEARTBEAT_SECONDS
    with _lock:
        due = [(grade_id, attempt) for grade_id, (attempt, at) in _beating.items() if at <= now]
        for grade_id, attempt in due:
            _beating[grade_id] = (attempt, now + interval)
    for grade_id, attempt in due:
        try:
            # This attempt's claim only: one the sweep has taken back, or a grade finished
            # since, stays as it is.
            Grade.objects.filter(pk=grade_id, status=Grade.Status.RUNNING, attempts=attempt).update(
                heartbeat_at=timezone.now()
            )
        except Exception:  # a database blip: the next beat tries again
            logger.exception("Heartbeat of grade %s failed", grade_id)
    if due:
        # Beats are seconds apart: hold no idle connection (nor one a restarted database dropped).
        connection.close()


def _run() -> None:
    while True:
        _wake.wait(min(TICK, settings.GRADE_HEARTBEAT_SECONDS))
        _wake.clear()
        _beat_due()


def _ensure_thread() -> None:
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="grade-heartbeat", daemon=True)
            _thread.start()


@contextmanager
def beating(grade_id: int, attempt: int) -> Iterator[None]:
    """Beat for the grade while the body runs (the grader blocks this thread)."""
    if connection.in_atomic_block:
        # The claim is not committed yet (a grade run inside a caller's transaction, as in
        # tests and in-process grading), so no sweep can see it and a beat from another
        # connection would only wait on this one's row lock ("database is locked" on SQLite).
        yield
        return
    _ensure_thread()
    with _lock:
        _beating[grade_id] = (attempt, time.monotonic() + settings.GRADE_HEARTBEAT_SECONDS)
    _wake.set()
    try:
        yield
    finally:
        with _lock:
            _beating.pop(grade_id, None)


def _forget_after_fork() -> None:
    # A forked child has no beating thread and runs none of its parent's grades.
    global _thread, _lock, _wake
    _thread, _lock, _wake = None, threading.Lock(), threading.Event()
    _beating.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
