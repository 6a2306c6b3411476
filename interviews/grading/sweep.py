"""The grade sweep (beat, every GRADE_SWEEP_SECONDS): re-enqueue only the grades that are
really lost, each at most once per GRADE_LOST_AFTER_SECONDS, ahead of any backlog.

Lost is one of:
- queued, its message published more than GRADE_LOST_AFTER_SECONDS ago, never claimed, and
  no longer waiting in the broker (the publish failed while Redis was down, or Redis lost
  it). One merely waiting behind a backlog is left alone: a second message would only be a
  wasted run, and the old sweep sent hundreds of them.
- running, but its worker has not beaten for GRADE_CLAIM_EXPIRES_SECONDS (heartbeat.py):
  the worker was killed. acks_late + reject_on_worker_lost do redeliver its message, but at
  the back of the queue (a killed pool process), or only after Redis's visibility_timeout
  of an hour (a killed worker); that redelivery then finds the grade taken back or done and
  does nothing.

The requeue sets queued_at (under a condition on the row as read, so two sweeps cannot both
requeue it), which keeps the grade out of the next sweeps for GRADE_LOST_AFTER_SECONDS.
Requeued grades go out at RECOVERY_PRIORITY, served before any grade waiting at the normal
priority (interviews/tasks.py)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from config.celery import app
from hiring.services import review_entries
from interviews.grading.service import enqueue_on_commit
from interviews.grading.waiting import waiting_task_ids
from interviews.models import Grade
from interviews.tasks import grade_answer, grade_code_answer, grade_gpu_answer

logger = logging.getLogger(__name__)


def requeue_lost_grades() -> int:
    """Re-enqueue the lost grades (see above); give up on those past the attempt limit."""
    now = timezone.now()
    fields = ("pk", "answer_id", "status", "attempts", "queued_at", "task_id")
    silent_since = now - timedelta(seconds=settings.GRADE_CLAIM_EXPIRES_SECONDS)
    lost = list(Grade.objects.dead_claims(silent_since).only(*fields))
    published_before = now - timedelta(seconds=settings.GRADE_LOST_AFTER_SECONDS)
    unclaimed = list(Grade.objects.unclaimed_since(published_before).only(*fields))
    if unclaimed:
        try:
            waiting = waiting_task_ids(grading_queues())
        except Exception:  # Redis down: nothing could be published anyway; the next sweep tries
            logger.exception("The sweep could not read the broker's queues")
        else:
            lost += [grade for grade in unclaimed if grade.task_id not in waiting]
    requeued = 0
    for grade in lost:
        as_read = Grade.objects.filter(
            pk=grade.pk, status=grade.status, attempts=grade.attempts, queued_at=grade.queued_at
        )
        if grade.attempts >= settings.GRADE_MAX_ATTEMPTS:
            if as_read.update(
                status=Grade.Status.FAILED,
                error="Gave up after repeated lost or failed attempts.",
                finished_at=timezone.now(),
            ):
                review_entries.refresh([grade.answer_id])  # a failed grade needs a reviewer
        elif as_read.update(status=Grade.Status.QUEUED, queued_at=now):
            enqueue_on_commit(grade.pk, recovery=True)
            requeued += 1
    if requeued:
        logger.warning("Re-enqueued %s lost grades", requeued)
    return requeued


def grading_queues() -> set[str]:
    """The queues grades go to: each task's own, else where task_routes send it."""
    tasks = (grade_answer, grade_code_answer, grade_gpu_answer)
    return {str(getattr(task, "queue", None) or app.amqp.router.route({}, task.name)["queue"].name) for task in tasks}
