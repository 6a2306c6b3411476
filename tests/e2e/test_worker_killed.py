import os
import signal

import pytest

from interviews.grading.service import submit_answer
from interviews.grading.sweep import requeue_lost_grades
from interviews.models import Grade
from tests.e2e.conftest import grading_routed_to, start_worker, stop_worker, wait_for
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUEUE = "e2e-kill"


@pytest.fixture(autouse=True)
def grades_go_to_this_tests_queue():
    """Only this test's workers read QUEUE, away from messages other tests left behind."""
    with grading_routed_to(QUEUE):
        yield


def test_a_worker_killed_mid_grade_loses_nothing_and_the_answer_is_graded_once(
    django_db_setup, llm_stub, settings, tmp_path
):
    env = {
        "GRADER": "llm",
        "LLM_BASE_URL": llm_stub.base_url,
        "LLM_MODEL": "stub-model",
        "LLM_TIMEOUT_SECONDS": "60",
        "LLM_MAX_RETRIES": "0",
    }
    log = tmp_path / "workers.log"
    llm_stub.reply_hang(45)  # the first attempt hangs inside the LLM call...
    first_worker = start_worker(log, queue=QUEUE, **env)
    question = QuestionFactory()
    session = InterviewSessionFactory(question_set=QuestionSetFactory(questions=[question]))
    text = "The tree overfits: high variance. Prune it and bag many trees to average out the noise."
    submission = submit_answer(session, question, text, 30)
    grade_id = submission.grade.pk

    assert wait_for(lambda: Grade.objects.get(pk=grade_id).status == Grade.Status.RUNNING, timeout=60)
    os.killpg(first_worker.pid, signal.SIGKILL)  # ...and the worker dies mid-task
    first_worker.wait()
    assert Grade.objects.get(pk=grade_id).status == Grade.Status.RUNNING
    assert Grade.objects.get(pk=grade_id).answer.text == text

    verdict = {
        "criteria": [
            {"index": i, "points": c.points, "evidence": "", "feedback": "ok"}
            for i, c in enumerate(question.criteria.all())
        ],
        "summary": "complete",
    }
    llm_stub.reply_json(verdict, logprobs=[])
    llm_stub.reply_json(verdict, logprobs=[])
    second_worker = start_worker(log, queue=QUEUE, **env)
    try:
        settings.GRADE_CLAIM_EXPIRES_SECONDS = 0  # the dead worker's heartbeat has stopped
        assert requeue_lost_grades() == 1  # what beat's sweep does every GRADE_SWEEP_SECONDS

        def finished():
            grade = Grade.objects.get(pk=grade_id)
            return grade if grade.status in {Grade.Status.DONE, Grade.Status.FAILED} else None

        grade = wait_for(finished, timeout=90)
    finally:
        stop_worker(second_worker)
    assert grade is not None, log.read_text(errors="replace")[-3000:]
    assert grade.status == Grade.Status.DONE and grade.grader == "llm"
    assert grade.attempts == 2
    assert grade.score == 5.0
    assert Grade.objects.filter(answer_id=grade.answer_id).count() == 1
