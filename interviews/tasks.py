"""Thin Celery tasks: ids in, one service call, nothing else."""

import os
import random

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings

from interviews.grading import embeddings, service


@shared_task(
    bind=True,
    max_retries=3,
    soft_time_limit=settings.GRADE_TIME_LIMIT_SECONDS,
    time_limit=settings.GRADE_TIME_LIMIT_SECONDS + 30,
)
def grade_answer(self, grade_id: int) -> str:  # type: ignore[no-untyped-def]
    outcome = service.run_grade(grade_id)
    if outcome == "retry":
        raise self.retry(countdown=2**self.request.retries + random.random())
    return outcome


@shared_task(time_limit=120)
def requeue_stuck_grades() -> int:
    return service.requeue_stuck_grades(enqueue=enqueue_grade)


@shared_task(
    bind=True,
    max_retries=3,
    soft_time_limit=settings.CODE_GRADE_TIME_LIMIT_SECONDS,
    time_limit=settings.CODE_GRADE_TIME_LIMIT_SECONDS + 30,
)
def grade_code_answer(self, grade_id: int) -> str:  # type: ignore[no-untyped-def]
    """The same claim and write as grade_answer, on the `code` queue: running candidates'
    code (seconds per submission, a torch import each) must not hold up text grading."""
    outcome = service.run_grade(grade_id)
    if outcome == "retry":
        raise self.retry(countdown=2**self.request.retries + random.random())
    return outcome


CODE_QUEUE = "code"


def enqueue_grade(grade_id: int) -> None:
    if service.is_code_grade(grade_id):
        grade_code_answer.apply_async((grade_id,), queue=CODE_QUEUE)
    else:
        grade_answer.delay(grade_id)


@worker_process_init.connect
def warm_up_grader(**kwargs: object) -> None:
    """Load the embedding model (and the grader's int8 copy) when a worker process starts,
    not on its first grade. The code worker (BACKPROP_CODE_WORKER set in the Procfile) never
    embeds: it skips the model."""
    if os.environ.get("BACKPROP_CODE_WORKER"):
        return
    embeddings.limit_threads(settings.GRADING_TORCH_THREADS)
    embeddings.grading_model()


@shared_task(time_limit=600, soft_time_limit=570)
def generate_questions(posting_id: int) -> int:
    """Draft LLM questions for the posting's requirements the bank cannot cover."""
    from interviews.planning.generate import generate_for_posting

    return generate_for_posting(posting_id).created
