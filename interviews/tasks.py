"""Thin Celery tasks: ids in, one service call, nothing else.

Each task is a DjangoTask (config/celery.py); code that may run inside a transaction
enqueues with `task.delay_on_commit(...)`. `base=Task` repeats that for the type
checker, which cannot see the app's task class. The grading service enqueues these tasks
itself, so the tasks import it inside their bodies rather than at the top."""

import os
import random

from celery import shared_task
from celery.signals import worker_process_init, worker_ready
from django.conf import settings

from config.celery import Task
from interviews import embeddings

# Redis serves priority 0 first (kombu keeps one list per step of priority_steps, default
# 0, 3, 6, 9, and BRPOPs them in that order): grades go out at 6 and the sweep's recovered
# grades at 0, so a recovered grade overtakes any backlog of new ones (README, "Lost and
# killed grades"). The filesystem broker of development has no priorities.
GRADE_PRIORITY = 6
RECOVERY_PRIORITY = 0


def _grade_once(task, grade_id: int) -> str:  # type: ignore[no-untyped-def]
    """The grading tasks differ only in queue and time limit: one claim-and-write, retried
    with backoff and jitter when the service says so."""
    from interviews.grading import service

    outcome = service.run_grade(grade_id)
    if outcome == "retry":
        raise task.retry(countdown=2**task.request.retries + random.random())
    return outcome


@shared_task(
    base=Task,
    bind=True,
    max_retries=3,
    priority=GRADE_PRIORITY,
    soft_time_limit=settings.GRADE_TIME_LIMIT_SECONDS,
    time_limit=settings.GRADE_TIME_LIMIT_SECONDS + 30,
)
def grade_answer(self, grade_id: int) -> str:  # type: ignore[no-untyped-def]
    return _grade_once(self, grade_id)


@shared_task(base=Task, time_limit=120)
def requeue_stuck_grades() -> int:
    from interviews.grading import sweep

    return sweep.requeue_lost_grades()


@shared_task(
    base=Task,
    bind=True,
    max_retries=3,
    queue="code",
    priority=GRADE_PRIORITY,
    soft_time_limit=settings.CODE_GRADE_TIME_LIMIT_SECONDS,
    time_limit=settings.CODE_GRADE_TIME_LIMIT_SECONDS + 30,
)
def grade_code_answer(self, grade_id: int) -> str:  # type: ignore[no-untyped-def]
    """The same claim and write as grade_answer, on the `code` queue: running candidates'
    code (seconds per submission, a torch import each) must not hold up text grading."""
    return _grade_once(self, grade_id)


@shared_task(
    base=Task,
    bind=True,
    max_retries=3,
    queue="gpu",
    priority=GRADE_PRIORITY,
    soft_time_limit=settings.CODE_GRADE_TIME_LIMIT_SECONDS,
    time_limit=settings.CODE_GRADE_TIME_LIMIT_SECONDS + 30,
)
def grade_gpu_answer(self, grade_id: int) -> str:  # type: ignore[no-untyped-def]
    """grade_code_answer for questions that `requires: gpu`: only a CUDA worker consumes `gpu`."""
    return _grade_once(self, grade_id)


@shared_task(base=Task, queue="gpu", time_limit=30)
def gpu_heartbeat() -> None:
    """Scheduled by beat onto the `gpu` queue: whoever consumes it is a GPU worker."""
    from interviews.execution import gpu

    gpu.register_gpu_worker()


@worker_ready.connect
def register_gpu_worker(**kwargs: object) -> None:
    """A worker started with BACKPROP_GPU_WORKER registers at once, not at the next beat."""
    if os.environ.get("BACKPROP_GPU_WORKER"):
        from interviews.execution import gpu

        gpu.register_gpu_worker()


@worker_process_init.connect
def warm_up_grader(**kwargs: object) -> None:
    """Load the embedding model (and the grader's int8 copy) when a worker process starts,
    not on its first grade. The code worker (BACKPROP_CODE_WORKER set in the Procfile) never
    embeds: it skips the model."""
    if os.environ.get("BACKPROP_CODE_WORKER") or os.environ.get("BACKPROP_GPU_WORKER"):
        return
    embeddings.limit_threads(settings.GRADING_TORCH_THREADS)
    embeddings.grading_model()


@shared_task(base=Task, queue="llm", time_limit=600, soft_time_limit=570)
def generate_questions(posting_id: int) -> int:
    """Propose LLM-written questions for the posting's requirements the bank cannot cover.

    On the `llm` queue: drafting takes minutes on a local model, and a grade once waited
    247 s behind it on the grading worker."""
    from interviews.planning.generate import generate_for_posting

    return generate_for_posting(posting_id).created


@shared_task(base=Task, queue="llm", time_limit=600, soft_time_limit=570)
def analyze_posting_with_llm(posting_id: int) -> str:
    """The LLM's reading of a posting saved with the offline analysis; on the `llm` queue."""
    from interviews.postings.services import finish_llm_analysis

    return finish_llm_analysis(posting_id)
