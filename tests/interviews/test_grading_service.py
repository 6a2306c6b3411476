import pytest
from django.db import transaction

from interviews.grading import service
from interviews.grading.service import AnswerRejected, run_grade, submit_answer
from interviews.models import Answer, Grade
from tests.factories import GradeFactory, InterviewSessionFactory, QuestionFactory, QuestionSetFactory

GOOD_ANSWER = (
    "The expected test error decomposes into bias squared, variance and irreducible noise. "
    "A simple model underfits with high bias, a very flexible model overfits with high variance. "
    "Regularisation and more training data reduce variance."
)


@pytest.fixture
def session(db):
    return InterviewSessionFactory(question_set=QuestionSetFactory(questions=[QuestionFactory(), QuestionFactory()]))


def first_question(session):
    return session.question_set.items.first().question


@pytest.mark.django_db(transaction=True)
def test_submit_saves_answer_and_queued_grade_and_enqueues_after_commit(session, enqueued):
    submission = submit_answer(session, first_question(session), GOOD_ANSWER, 30)
    assert submission.created
    assert submission.grade.status == Grade.Status.QUEUED
    assert enqueued == [submission.grade.pk]


class RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_when_the_transaction_rolls_back_and_the_grade_is_once_it_commits(session, enqueued):
    question = first_question(session)
    with pytest.raises(RolledBack), transaction.atomic():
        submit_answer(session, question, GOOD_ANSWER, 30)
        assert enqueued == []  # not while the answer is uncommitted, though the service has returned
        raise RolledBack
    assert enqueued == [] and Answer.objects.count() == 0

    with transaction.atomic():
        submission = submit_answer(session, question, GOOD_ANSWER, 30)
        assert enqueued == []
    assert enqueued == [submission.grade.pk]


@pytest.mark.django_db
def test_a_repeated_submit_returns_the_first_answer(session, enqueued, django_capture_on_commit_callbacks):
    question = first_question(session)
    with django_capture_on_commit_callbacks(execute=True):
        first = submit_answer(session, question, GOOD_ANSWER, 30)
        again = submit_answer(session, question, "a different text", 31)
    assert not again.created
    assert again.answer.pk == first.answer.pk
    assert Answer.objects.count() == 1 and Grade.objects.count() == 1
    assert enqueued == [first.grade.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   ", "empty"), ("x" * 20_001, "too long"), ("bin\x00ary", "binary")],
)
def test_bad_answers_are_refused_and_nothing_saved(session, enqueued, text, message):
    with pytest.raises(AnswerRejected, match=message):
        submit_answer(session, first_question(session), text, 1)
    assert Answer.objects.count() == 0 and Grade.objects.count() == 0


@pytest.mark.django_db
def test_a_question_outside_the_interview_is_refused(session, enqueued):
    with pytest.raises(AnswerRejected, match="not part"):
        submit_answer(session, QuestionFactory(), GOOD_ANSWER, 1)


@pytest.mark.django_db
def test_answering_the_last_question_finishes_the_interview(session, enqueued):
    for item in session.question_set.items.all():
        submit_answer(session, item.question, GOOD_ANSWER, 5)
    session.refresh_from_db()
    assert session.finished_at is not None
    with pytest.raises(AnswerRejected, match="finished"):
        submit_answer(session, first_question(session), GOOD_ANSWER, 5)


@pytest.mark.django_db
def test_run_grade_grades_once_and_a_second_run_does_nothing():
    grade = GradeFactory(answer__text=GOOD_ANSWER)
    assert run_grade(grade.pk) == "done"
    grade.refresh_from_db()
    assert grade.status == Grade.Status.DONE
    assert grade.grader == "offline"
    assert 0 <= grade.score <= 5
    assert len(grade.criteria) == 3
    assert grade.attempts == 1
    finished = grade.finished_at
    assert run_grade(grade.pk) == "skipped"
    grade.refresh_from_db()
    assert grade.attempts == 1 and grade.finished_at == finished


@pytest.mark.django_db
def test_run_grade_of_a_missing_grade_is_skipped():
    assert run_grade(987654) == "skipped"


class ExplodingGrader:
    name = "exploding"

    def grade(self, item):
        raise RuntimeError("model crashed")


@pytest.mark.django_db
def test_a_grader_fault_requeues_then_fails_after_the_attempt_limit(monkeypatch, settings):
    settings.GRADE_MAX_ATTEMPTS = 2
    monkeypatch.setattr(service, "get_grader", lambda name="auto": ExplodingGrader())
    grade = GradeFactory()
    assert run_grade(grade.pk) == "retry"
    grade.refresh_from_db()
    assert grade.status == Grade.Status.QUEUED and "model crashed" in grade.error
    assert run_grade(grade.pk) == "failed"
    grade.refresh_from_db()
    assert grade.status == Grade.Status.FAILED
    assert Answer.objects.filter(pk=grade.answer_id).exists()  # the answer itself is never lost


@pytest.mark.django_db
def test_a_stale_attempt_cannot_overwrite_a_newer_one(monkeypatch):
    grade = GradeFactory(answer__text=GOOD_ANSWER)

    class SlowThenSwept:
        name = "slow"

        def grade(self, item):
            # While this attempt works, the sweep hands the grade to another attempt.
            Grade.objects.filter(pk=grade.pk).update(status=Grade.Status.RUNNING, attempts=2)
            from interviews.grading.offline import OfflineGrader

            return OfflineGrader().grade(item)

    monkeypatch.setattr(service, "get_grader", lambda name="auto": SlowThenSwept())
    assert run_grade(grade.pk) == "skipped"
    grade.refresh_from_db()
    assert grade.status == Grade.Status.RUNNING and grade.score is None


@pytest.mark.django_db
def test_the_grade_task_runs_the_service_when_called_directly():
    from interviews.tasks import grade_answer

    grade = GradeFactory(answer__text=GOOD_ANSWER)
    assert grade_answer.run(grade.pk) == "done"
    assert Grade.objects.get(pk=grade.pk).status == Grade.Status.DONE
