"""A worker grading marks its grade alive every GRADE_HEARTBEAT_SECONDS.

A grade may rightly run for minutes (LLM calls, a code run: up to the task's time limit),
so the age of a claim cannot tell a slow grade from one whose worker was killed. A silent
heartbeat can, within GRADE_CLAIM_EXPIRES_SECONDS: the sweep then takes the grade back
(interviews/grading/sweep.py). A hung grade is no exception: its time limit kills it, and
its heartbeat stops with it."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from interviews.models import Grade

logger = logging.getLogger(__name__)


@contextmanager
def beating(grade_id: int, attempt: int) -> Iterator[None]:
    """Beat from a thread while the body runs (the grader blocks the main thread)."""
    if connection.in_atomic_block:
        # The claim is not committed yet (a grade run inside a caller's transaction, as in
        # tests and in-process grading), so no sweep can see it and a beat from another
        # connection would only wait on this one's row lock ("database is locked" on SQLite).
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.GRADE_HEARTBEAT_SECONDS):
                try:
                    # This attempt's claim only: one the sweep has taken back stays taken.
                    Grade.objects.filter(pk=grade_id, status=Grade.Status.RUNNING, attempts=attempt).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a database blip: the next beat tries again
                    logger.exception("Heartbeat of grade %s failed", grade_id)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"grade-{grade_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
