"""Fault: PostgreSQL terminating every connection of the database every 0.2 s during a
burst of submissions through the real view, with a worker grading (issue 13 item 6).

A submit either saves the answer with its queued grade (the user is redirected to the
normal page) or saves nothing and fails; no answer is saved without its grade. A user who
gets an error submits again, as the page invites; every answer the user was told was
saved exists with its text, and all are graded once the terminations stop."""

import threading
import time

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer
from tests.e2e.conftest import database_url, grading_routed_to, start_worker, stop_worker, wait_for
from tests.factories import UserFactory
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
QUEUE = "faults-postgres"
TERMINATE = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


class Terminator(threading.Thread):
    """Terminates every other connection to the test database every `every` seconds."""

    def __init__(self, url: str, every: float) -> None:
        super().__init__(name="fault-pg-terminate", daemon=True)
        self.url, self.every = url, every
        self.stop = threading.Event()
        self.terminated = 0

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(self.every):
                self.terminated += conn.execute(TERMINATE).fetchone()[0]


def test_connections_terminated_mid_burst_lose_no_answer_and_half_save_nothing(
    django_db_setup, short_sweep_windows, tmp_path, capsys
):
    submissions = int(size("PG_SUBMISSIONS", 150))
    every = size("PG_TERMINATE_EVERY", 0.2)
    retries = 10  # submits again after an error, as a user would
    user = UserFactory()
    slots = burst_slots(submissions, candidate=user)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    told_saved: dict[tuple[int, int], str] = {}
    first_try: dict[int, int] = {}  # status -> count, first attempt of each submission
    errors = 0
    last_error_at: dict[tuple[int, int], object] = {}
    log = tmp_path / "worker.log"
    url = database_url(connection.settings_dict)

    with grading_routed_to(QUEUE, purge_after=True):
        worker = start_worker(log, queue=QUEUE, GRADER="offline", **short_sweep_windows)
        terminator = Terminator(url, every)
        try:
            with sweeping(every=2.0) as requeued:
                terminator.start()
                started = time.monotonic()
                for i, (session, question) in enumerate(slots):
                    post = reverse("answer_submit", args=[session.pk])
                    for attempt in range(retries):
                        # What the real handler does around each request (the test client
                        # leaves it out): a connection that failed is dropped (or, with
                        # DB_CONN_MAX_AGE=0, every connection is).
                        close_old_connections()
                        response = client.post(post, {"question": question.pk, "text": answer_text(i)})
                        if attempt == 0:
                            first_try[response.status_code] = first_try.get(response.status_code, 0) + 1
                        if response.status_code == 302:
                            told_saved[(session.pk, question.pk)] = answer_text(i)
                            break
                        errors += response.status_code >= 500
                        last_error_at[(session.pk, question.pk)] = timezone.now()
                burst_seconds = time.monotonic() - started
                terminator.stop.set()
                terminator.join()
                connection.close()  # this thread's connection may have been terminated too
                answer_ids = Answer.objects.filter(session__candidate=user).values_list("pk", flat=True)
                # Before any grading catches up: every saved answer has its grade.
                half_saved = Answer.objects.filter(session__candidate=user, grades=None).count()
                wait_for(lambda: all_graded(answer_ids), timeout=size("GRADE_TIMEOUT", 300), interval=0.5)
                recovered = time.monotonic() - started - burst_seconds
        finally:
            terminator.stop.set()
            stop_worker(worker)

    result = outcome(told_saved, submissions)
    # An error page, yet the answer had been saved (the retry is told "already answered").
    saved_at = {(a.session_id, a.question_id): a.submitted_at for a in Answer.objects.filter(session__candidate=user)}
    saved_behind_error = sum(1 for key, at in last_error_at.items() if saved_at[key] <= at)
    report(
        capsys,
        f"PostgreSQL connections terminated every {every} s ({terminator.terminated} terminated) "
        f"during {submissions} submissions: {result.line()}, half-saved {half_saved}, "
        f"server errors {errors} (first tries {dict(sorted(first_try.items()))}; "
        f"{len(last_error_at) - saved_behind_error} saved nothing and were submitted again, {saved_behind_error} had "
        "saved the answer), "
        f"sweep re-enqueued {sum(requeued)}, time to recover {recovered:.0f} s (terminations stopped to all graded)",
    )
    assert terminator.terminated > 0
    assert len(told_saved) == submissions  # every user got through, retrying after errors
    assert set(first_try) <= {302, 500}, first_try  # an error page, never another failure
    assert half_saved == 0 and result.half_saved == 0 and result.extra_grades == 0
    assert result.lost == 0
    assert result.stuck == 0 and result.failed == 0, log.read_text(errors="replace")[-3000:]
    assert result.graded_once == submissions, result.not_graded[:20]
