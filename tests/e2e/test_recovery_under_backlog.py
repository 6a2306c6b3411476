"""A real worker takes a recovered grade before a backlog of new ones (issue 13 item 5): the
sweep publishes it at RECOVERY_PRIORITY, which Redis serves first. Needs Redis (CI)."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from interviews.grading.service import enqueue_on_commit
from interviews.grading.sweep import requeue_lost_grades
from interviews.models import Grade
from tests.e2e.conftest import grading_routed_to, start_worker, stop_worker, wait_for
from tests.factories import GradeFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="message priorities need the Redis broker (REDIS_URL)"),
]
QUEUE = "e2e-recovery"
BACKLOG = 200
ANSWER = "Bias is error from wrong assumptions; variance is sensitivity to the training sample."


def test_a_recovered_grade_is_graded_before_a_backlog_of_new_grades(django_db_setup, tmp_path):
    with grading_routed_to(QUEUE, purge_after=True):
        answer = GradeFactory(answer__text=ANSWER, status=Grade.Status.DONE).answer
        backlog = Grade.objects.bulk_create(Grade(answer=answer, requested_grader="offline") for _ in range(BACKLOG))
        for grade in backlog:
            enqueue_on_commit(grade.pk)  # autocommit: published at once
        killed = GradeFactory(
            answer__text=ANSWER,
            requested_grader="offline",
            status=Grade.Status.RUNNING,
            attempts=1,
            started_at=timezone.now() - timedelta(minutes=5),
            heartbeat_at=timezone.now() - timedelta(seconds=settings.GRADE_CLAIM_EXPIRES_SECONDS + 1),
        )
        assert requeue_lost_grades() == 1

        worker = start_worker(tmp_path / "worker.log", queue=QUEUE, GRADER="offline")
        ready = time.monotonic()
        try:
            done = wait_for(lambda: Grade.objects.filter(pk=killed.pk, status=Grade.Status.DONE).first(), timeout=60)
            recovered_in = time.monotonic() - ready
            assert wait_for(lambda: Grade.objects.filter(pk__in=[g.pk for g in backlog], status="done").count() >= 3)
        finally:
            stop_worker(worker)
    assert done is not None, (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    first_of_backlog = Grade.objects.filter(pk__in=[g.pk for g in backlog], status="done").order_by("started_at")[0]
    assert done.finished_at <= first_of_backlog.started_at  # graded first, though published last
    # The first grade of a fresh worker process includes loading the embedding model (~15 s here).
    print(f"recovered grade done {recovered_in:.1f} s after the worker was ready, {BACKLOG} grades waiting")
    assert recovered_in < 60, recovered_in
