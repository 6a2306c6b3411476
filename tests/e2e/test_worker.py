import pytest

from interviews.grading.service import submit_answer
from interviews.models import Grade
from tests.e2e.conftest import wait_for
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_submitted_answer_is_graded_by_a_real_worker(celery_worker_process):
    question = QuestionFactory()
    session = InterviewSessionFactory(question_set=QuestionSetFactory(questions=[question]))
    submission = submit_answer(
        session,
        question,
        "Expected error is bias squared plus variance plus noise; regularisation reduces variance.",
        20,
    )
    assert Grade.objects.get(pk=submission.grade.pk).status in {Grade.Status.QUEUED, Grade.Status.RUNNING}

    def finished():
        grade = Grade.objects.get(pk=submission.grade.pk)
        return grade if grade.status in {Grade.Status.DONE, Grade.Status.FAILED} else None

    grade = wait_for(finished, timeout=60)
    assert grade is not None, "the worker never finished the grade"
    assert grade.status == Grade.Status.DONE
    assert grade.grader == "offline"
    assert 0 < grade.score <= 5
    assert grade.attempts == 1
    assert celery_worker_process.poll() is None
