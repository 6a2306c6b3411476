"""Fault: the grading worker killed with SIGKILL again and again during a burst of
submissions (issue 13 item 6). Every answer ends with exactly one grade that counts,
none lost or stuck; the sweep (run as beat runs it) takes back each killed grade.

Full size: BACKPROP_FAULT_SUBMISSIONS=500 BACKPROP_FAULT_KILLS=20."""

import os
import random
import re
import signal
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from interviews.grading.service import submit_answer
from interviews.models import Grade
from tests.e2e.conftest import grading_routed_to, start_worker, stop_worker, wait_for
from tests.faults.conftest import (
    all_graded,
    answer_text,
    burst_slots,
    on_postgresql,
    outcome,
    report,
    size,
    sweeping,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), on_postgresql]
QUEUE = "faults-kill"


def test_a_worker_killed_20_times_in_a_burst_grades_every_answer_once(
    django_db_setup, short_sweep_windows, tmp_path, capsys
):
    submissions = int(size("SUBMISSIONS", 120))
    kills = int(size("KILLS", 4))
    # Spread the burst over the kills: a restarted worker takes ~20 s here to be ready and
    # load the embedding model, so the burst lasts about as long as the kills.
    interval = size("SUBMIT_INTERVAL", kills * 20 / submissions)
    log = tmp_path / "workers.log"
    env = {"GRADER": "offline", **short_sweep_windows}
    slots = burst_slots(submissions)
    told_saved: dict[tuple[int, int], str] = {}
    kills_done: list[tuple[object, list[int], list[int]]] = []  # (when, grades running, grades not done)
    rng = random.Random(13)

    with grading_routed_to(QUEUE, purge_after=True):
        worker = start_worker(log, queue=QUEUE, **env)
        current = {"worker": worker}
        burst_done = threading.Event()

        def killer() -> None:
            """Kill the worker `kills` times, spread over the burst: each time once it has
            had a moment to take grades, preferably while one is running."""
            try:
                for k in range(kills):
                    # Kill k waits for its share of the burst to have been submitted.
                    share = (k + 0.5) * submissions / kills
                    wait_for(lambda share=share: len(told_saved) >= share or burst_done.is_set(), 900, 0.1)
                    time.sleep(rng.uniform(0.5, 2.0))
                    running_now = Grade.objects.filter(status=Grade.Status.RUNNING)
                    wait_for(running_now.exists, timeout=5, interval=0.02)
                    pending = Grade.objects.filter(status__in=[Grade.Status.QUEUED, Grade.Status.RUNNING])
                    os.killpg(current["worker"].pid, signal.SIGKILL)
                    killed_at = timezone.now()
                    running = list(Grade.objects.filter(status=Grade.Status.RUNNING).values_list("pk", flat=True))
                    kills_done.append((killed_at, running, list(pending.values_list("pk", flat=True))))
                    current["worker"].wait()
                    current["worker"] = start_worker(log, queue=QUEUE, **env)
            finally:
                connection.close()

        thread = threading.Thread(target=killer, name="fault-killer", daemon=True)
        try:
            with sweeping(every=2.0) as requeued:
                thread.start()
                started = time.monotonic()
                for i, (session, question) in enumerate(slots):
                    submission = submit_answer(session, question, answer_text(i), 30)
                    if submission.created:
                        told_saved[(session.pk, question.pk)] = answer_text(i)
                    time.sleep(interval)
                burst_done.set()
                thread.join(timeout=900)
                answer_ids = Grade.objects.filter(answer__session__in={s.pk for s, _ in slots}).values_list(
                    "answer_id", flat=True
                )
                wait_for(lambda: all_graded(answer_ids), timeout=size("GRADE_TIMEOUT", 300), interval=1)
                elapsed = time.monotonic() - started
        finally:
            stop_worker(current["worker"])

    result = outcome(told_saved, submissions)
    # Recovered from a kill: every grade then queued or running (the killed one and the
    # messages the worker held) is done, the restart and the sweep's windows included.
    recover = []
    for killed_at, _, pending in kills_done:
        last = max((g.finished_at for g in Grade.objects.filter(pk__in=pending) if g.finished_at), default=killed_at)
        recover.append((last - killed_at).total_seconds())
    mid_grade = sum(len(running) for _, running, _ in kills_done)
    # A grade written twice would log 'done' twice (a kill between the commit and the log
    # line can only hide one, so this is a lower bound, and the write's claim forbids it).
    done_lines = len(re.findall(r"succeeded in [0-9.]+s: 'done'", log.read_text(errors="replace")))
    duplicates = max(0, done_lines - result.graded_once)
    report(
        capsys,
        f"worker kill -9 x{len(kills_done)} in {submissions} submissions: {result.line()}, "
        f"duplicates {duplicates}, killed mid-grade {mid_grade}, "
        f"max recover {max(recover, default=0):.0f} s, sweep re-enqueued {sum(requeued)}, "
        f"all graded in {elapsed:.0f} s",
    )
    assert len(kills_done) == kills
    assert len(told_saved) == submissions
    assert result.lost == 0 and result.half_saved == 0 and result.extra_grades == 0
    assert result.stuck == 0 and result.failed == 0, log.read_text(errors="replace")[-3000:]
    assert result.graded_once == submissions, result.not_graded[:20]
    assert duplicates == 0
