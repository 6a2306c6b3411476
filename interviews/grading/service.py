"""Answer -> grade workflow: submit, claim, grade, sweep.

A grade is claimed with a conditional UPDATE (queued -> running) so two deliveries of
the same message never both grade; the result is written only by the attempt that
claimed it, and that attempt makes it the answer's counted grade unless a newer grade
already counts (Grade.count); while it grades, it beats (heartbeat.py), and the sweep
(sweep.py) re-enqueues grades whose message was lost or whose worker died."""

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from config.celery import Task
from hiring.services import review_entries
from interviews.execution.gpu import requires_gpu
from interviews.grading.base import GradingItem
from interviews.grading.heartbeat import beating
from interviews.grading.registry import GRADERS, code_grader, get_grader
from interviews.models import Answer, Grade, InterviewSession, Question, QuestionVersion
from interviews.progress.revisits import rating_for, schedule_revisit
from interviews.tasks import RECOVERY_PRIORITY, grade_answer, grade_code_answer, grade_gpu_answer

logger = logging.getLogger(__name__)


class AnswerRejected(ValueError):
    """The answer cannot be accepted; the message is shown to the candidate."""


HELD_BACK_MESSAGE = (
    "This question is part of an assessment you are taking or have been invited to. "
    "It comes back to practice once that assessment ends."
)


@dataclass
class Submission:
    answer: Answer
    grade: Grade
    created: bool


def submit_answer(session: InterviewSession, question: Question, text: str, time_spent_seconds: int) -> Submission:
    """Save the answer and a queued grade in one transaction; enqueue grading on commit.

    A repeated submit of the same question (a double click, a retried request) returns
    the first submission instead of saving a second one."""
    if "\x00" in text:
        raise AnswerRejected("The answer contains binary data. Paste plain text.")
    if not text.strip():
        raise AnswerRejected("The answer is empty. Write an answer before submitting.")
    if len(text) > settings.ANSWER_MAX_CHARS:
        raise AnswerRejected(
            f"The answer is too long ({len(text):,} characters; the limit is {settings.ANSWER_MAX_CHARS:,})."
        )
    if session.close_if_time_is_up():
        raise AnswerRejected(
            "Time is up for this assessment; your answer was not submitted but is kept as a draft for the reviewers."
            if session.ran_out_of_time
            else "This interview is already finished."
        )
    if not session.question_set.items.filter(question=question).exists():
        raise AnswerRejected("That question is not part of this interview.")
    if question.pk in session.held_back_ids():
        raise AnswerRejected(HELD_BACK_MESSAGE)
    if question.kind == Question.Kind.CODING and question.coding_files:
        _precheck_code(question, text)

    with transaction.atomic():
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    session=session,
                    question=question,
                    question_version=QuestionVersion.snapshot(question),
                    text=text,
                    time_spent_seconds=max(0, min(time_spent_seconds, 24 * 3600)),
                )
        except IntegrityError:
            answer = Answer.objects.get(session=session, question=question)
            grade = answer.grades.order_by("-pk").first()
            assert grade is not None
            return Submission(answer=answer, grade=grade, created=False)
        grade = Grade.objects.create(answer=answer)
        if session.next_question() is None:
            InterviewSession.objects.filter(pk=session.pk, finished_at=None).update(finished_at=timezone.now())
        enqueue_on_commit(grade.pk)
    return Submission(answer=answer, grade=grade, created=True)


def _precheck_code(question: Question, text: str) -> None:
    """Code that cannot run at all (syntax error, forbidden call) is refused at submit with
    the reason, and so does not use up the answer; everything else is decided by running it."""
    from interviews.execution.runner import precheck
    from interviews.execution.spec import SpecError, build_spec

    try:
        spec = build_spec(question.slug, question.coding_files)
    except SpecError:
        return  # a broken question is reported when grading, not blamed on the candidate
    problem = precheck(text, spec.forbid)
    if problem:
        raise AnswerRejected(problem + ". Fix it and submit again.")


def grading_item(answer: Answer) -> GradingItem:
    question = answer.question
    # Code runs against the files of the version the candidate answered, not later edits,
    # and its grade records that version's rubric (the cases' points it was scored on).
    coding_files = answer.asked.coding_files if question.kind == Question.Kind.CODING else {}
    return GradingItem(
        question=question.prompt,
        reference_answer=question.reference_answer,
        rubric=answer.grading_rubric(),
        answer=answer.text,
        numeric_answer=question.numeric_answer,
        numeric_tolerance=question.numeric_tolerance,
        numeric_unit=question.numeric_unit,
        coding_files=coding_files,
        slug=question.slug,
    )


def enqueue_on_commit(grade_id: int, recovery: bool = False) -> None:
    """Publish the grade once the transaction commits, to the queue that grades its kind.

    The row keeps the message's task id and time, which the sweep checks against the
    broker (sweep.py); a recovery goes out ahead of the grades waiting in the queue."""
    task_id = str(uuid.uuid4())
    Grade.objects.filter(pk=grade_id).update(task_id=task_id, queued_at=timezone.now())
    options = {"priority": RECOVERY_PRIORITY} if recovery else {}
    grading_task(grade_id).apply_async_on_commit((grade_id,), task_id=task_id, **options)


def grading_task(grade_id: int) -> Task:
    return {"gpu": grade_gpu_answer, "code": grade_code_answer}.get(grade_queue(grade_id), grade_answer)


def grade_queue(grade_id: int) -> str:
    """`gpu` for code needing CUDA (by the files of the version answered), `code` for other
    code, `celery` for text."""
    row = (
        Grade.objects.filter(pk=grade_id, answer__question__kind=Question.Kind.CODING)
        .values_list("answer__question_version__coding_files", "answer__question__coding_files")
        .first()
    )
    if row is None:
        return "celery"
    return "gpu" if requires_gpu(row[0] or row[1] or {}) else "code"


def run_grade(grade_id: int) -> str:
    """Grade once. Returns 'done', 'skipped' (not ours to run), 'retry' or 'failed'."""
    now = timezone.now()
    claimed = Grade.objects.filter(pk=grade_id, status=Grade.Status.QUEUED).update(
        status=Grade.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    grade = Grade.objects.select_related("answer__question", "answer__session__candidate").get(pk=grade_id)
    mine = Grade.objects.filter(pk=grade_id, status=Grade.Status.RUNNING, attempts=grade.attempts)
    started = time.monotonic()
    item = grading_item(grade.answer)
    try:
        # Executable questions are graded by running the code, whatever grader was asked for.
        grader = code_grader() if item.coding_files else get_grader(grade.requested_grader)
        with beating(grade_id, grade.attempts):
            result = grader.grade(item)
    except Exception as exc:
        logger.exception("Grading %s failed on attempt %s", grade_id, grade.attempts)
        if grade.attempts >= settings.GRADE_MAX_ATTEMPTS:
            mine.update(status=Grade.Status.FAILED, error=repr(exc)[:2000], finished_at=timezone.now())
            review_entries.refresh([grade.answer_id])  # a first grade that failed waits for a reviewer
            return "failed"
        mine.update(status=Grade.Status.QUEUED, error=repr(exc)[:2000], queued_at=timezone.now())
        return "retry"
    # The result, "this grade counts" and what counting changes (the revisit schedule) are
    # written together: a crash or a lost connection between them would leave a finished
    # grade that nothing counts, or one the schedule never heard of, and nothing would
    # repair either. If the transaction fails, the grade is still running under this
    # attempt's claim; the claim's heartbeat has stopped, so the sweep grades it again.
    with transaction.atomic():
        written = mine.update(
            status=Grade.Status.DONE,
            grader=result.grader,
            model_name=result.model_name,
            prompt_version=result.prompt_version,
            rubric_version=item.rubric_version(),
            fallback_reason=result.fallback_reason,
            score=result.score,
            confidence=result.confidence,
            needs_review=result.needs_review,
            criteria=result.criteria_json(),
            summary=result.summary,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            cost_usd=Decimal(str(round(result.cost_usd, 6))),
            latency_ms=int((time.monotonic() - started) * 1000),
            error="",
            finished_at=timezone.now(),
        )
        counted = grade.count(score=result.score) if written else "stale"
        # One recall, one rating: the schedule hears about an answer once, when its first
        # grade counts. A staff regrade corrects the score (mastery, history, both derived
        # from the counted grade when read) but is not a second attempt by the candidate,
        # and FSRS cannot take a rating back.
        if counted == "first" and not grade.answer.session.is_assessment:  # assessments stay out of practice
            schedule_revisit(grade.answer.session.candidate, grade.answer.question, rating_for(result.score))
    return "done" if written else "skipped"


def regrade(answers: Iterable[Answer], grader: str, requested_by: User | None) -> list[Grade]:
    """Queue a new grade for each answer with the chosen grader. Earlier grades stay as
    history; the new one counts once it finishes (the previous one counts until then)."""
    if grader not in GRADERS:
        raise ValueError(f"Unknown grader {grader!r}")
    with transaction.atomic():
        grades = [Grade.objects.create(answer=a, requested_grader=grader, requested_by=requested_by) for a in answers]
        for grade in grades:
            enqueue_on_commit(grade.pk)
        # A regrade in flight takes an answer whose only grade failed out of the queue.
        review_entries.refresh(g.answer_id for g in grades)
    return grades
