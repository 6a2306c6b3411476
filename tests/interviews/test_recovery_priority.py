"""A grade the sweep recovers overtakes any backlog (issue 13 item 5): on Redis it goes out at
RECOVERY_PRIORITY, which a worker reads first. Needs Redis (CI); the filesystem broker of
development has no priorities."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app
from interviews.grading.service import enqueue_on_commit
from interviews.grading.sweep import requeue_lost_grades
from interviews.models import Grade
from tests.factories import GradeFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="message priorities need the Redis broker (REDIS_URL)"),
]
BACKLOG = 200


@pytest.fixture
def queue():
    """Grades go to a queue of this test's own, dropped afterwards."""
    name = f"test-recovery-{uuid.uuid4().hex[:8]}"
    before = app.conf.task_routes
    app.conf.update(task_routes={"interviews.tasks.grade_answer": {"queue": name}})
    yield name
    app.conf.update(task_routes=before)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(name)


def test_a_recovered_grade_is_consumed_before_a_backlog_of_new_ones(queue, django_capture_on_commit_callbacks):
    waiting = GradeFactory()
    killed = GradeFactory(
        status=Grade.Status.RUNNING, attempts=1, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(BACKLOG):  # as many messages as 200 new grades (one row is enough to publish them)
            enqueue_on_commit(waiting.pk)
    # The worker grading `killed` dies: its heartbeat stops, and a sweep later takes it back.
    Grade.objects.filter(pk=killed.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.GRADE_CLAIM_EXPIRES_SECONDS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_grades() == 1

    # Consume as a worker does (a kombu consumer: BRPOP over the queue's priority lists).
    order = []
    with app.connection_for_read() as conn, conn.SimpleQueue(queue) as simple:
        assert simple.qsize() == BACKLOG + 1
        for _ in range(BACKLOG + 1):
            message = simple.get(timeout=5)
            order.append(message.payload[0])  # the task's args: (grade id,)
            message.ack()
    assert order == [[killed.pk]] + [[waiting.pk]] * BACKLOG
