"""A code answer goes to the `code` queue and a real worker on that queue runs it in the
sandbox (nothing listens on the default queue here, so it cannot have been graded there)."""

import pytest

from interviews.grading.service import submit_answer
from interviews.models import Grade
from tests.e2e.conftest import start_worker, stop_worker, wait_for
from tests.execution.conftest import needs_sandbox
from tests.execution.test_code_grading import softmax_question  # noqa: F401  (fixture)
from tests.execution.test_runner import NAIVE_SOFTMAX
from tests.factories import InterviewSessionFactory, QuestionSetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), needs_sandbox]


def test_a_code_answer_is_graded_by_the_code_worker(softmax_question, tmp_path):  # noqa: F811
    from config.celery import app

    app.control.purge()
    # As the Procfile starts it: no embedding model in the code worker.
    worker = start_worker(tmp_path / "code-worker.log", queue="code", BACKPROP_CODE_WORKER="1")
    try:
        session = InterviewSessionFactory(question_set=QuestionSetFactory(questions=[softmax_question]))
        submission = submit_answer(session, softmax_question, NAIVE_SOFTMAX, 20)

        def finished():
            grade = Grade.objects.get(pk=submission.grade.pk)
            return grade if grade.status in {Grade.Status.DONE, Grade.Status.FAILED} else None

        grade = wait_for(finished, timeout=120)
        assert grade is not None, "the code worker never finished the grade"
        assert (grade.status, grade.grader, grade.attempts) == (Grade.Status.DONE, "code", 1)
        assert grade.score == pytest.approx(5 * 4 / 6, abs=0.01)
        assert worker.poll() is None
    finally:
        stop_worker(worker)
