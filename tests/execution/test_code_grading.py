"""Executable questions through the text grading service: the same submit, claim and write,
with the code run in the sandbox and one criterion per case."""

import json

import pytest

from interviews.bank.coding_loader import sync_coding
from interviews.execution.spec import load_spec, read_files
from interviews.grading.service import AnswerRejected, grade_queue, run_grade, submit_answer
from interviews.models import Answer, Grade, Question
from tests.execution.conftest import CODING_DIR, needs_sandbox
from tests.execution.test_runner import NAIVE_SOFTMAX
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory, SkillFactory


@pytest.fixture
def softmax_question(db):
    directory = CODING_DIR / "stable-softmax"
    spec = load_spec(directory)
    skills = {slug: SkillFactory(slug=slug) for slug in spec.skills}
    sync_coding([(spec, read_files(directory))], skills)
    return Question.objects.get(slug="stable-softmax")


@pytest.fixture
def session(softmax_question):
    return InterviewSessionFactory(question_set=QuestionSetFactory(questions=[softmax_question, QuestionFactory()]))


def submit(session, question, code, enqueued):
    # `enqueued` (tests/conftest.py) records what the broker accepted once the answer commits.
    return submit_answer(session, question, code, 60)


@needs_sandbox
@pytest.mark.django_db(transaction=True)
def test_a_code_answer_is_graded_by_its_cases_with_partial_credit(session, softmax_question, enqueued, published):
    submission = submit(session, softmax_question, NAIVE_SOFTMAX, enqueued)
    assert enqueued == [submission.grade.pk]
    assert published == [("interviews.tasks.grade_code_answer", (submission.grade.pk,))]
    assert grade_queue(submission.grade.pk) == "code"

    assert run_grade(submission.grade.pk) == "done"
    grade = Grade.objects.get(pk=submission.grade.pk)
    assert grade.status == Grade.Status.DONE and grade.grader == "code"
    assert grade.score == pytest.approx(5 * 4 / 6, abs=0.01)  # huge-logits (2 of 6 points) fails
    by_name = {c["criterion"]: c for c in grade.criteria}
    visible = by_name["Case small-vector (visible) passes"]
    assert visible["points"] == 1 and "array(shape=(4,)" in json.loads(visible["evidence"])["inputs"]
    hidden = by_name["Case huge-logits (hidden) passes"]
    assert (hidden["points"], hidden["evidence"], hidden["feedback"]) == (0, "", "wrong")
    # A second delivery of the same message does not grade again.
    assert run_grade(submission.grade.pk) == "skipped"


@needs_sandbox
@pytest.mark.django_db(transaction=True)
def test_grading_uses_the_version_answered_not_a_later_edit(session, softmax_question, enqueued):
    submission = submit(session, softmax_question, NAIVE_SOFTMAX, enqueued)
    files = dict(softmax_question.coding_files)
    files["question.yaml"] = files["question.yaml"].replace("points: 2", "points: 20")
    softmax_question.coding_files = files
    softmax_question.save()
    run_grade(submission.grade.pk)
    grade = Grade.objects.get(pk=submission.grade.pk)
    assert grade.score == pytest.approx(5 * 4 / 6, abs=0.01)


@pytest.mark.django_db(transaction=True)
def test_a_syntax_error_is_refused_at_submit_and_uses_up_nothing(session, softmax_question, enqueued):
    with pytest.raises(AnswerRejected, match="syntax error on line 1"):
        submit(session, softmax_question, "def softmax(x:\n", enqueued)
    assert not Answer.objects.filter(session=session).exists() and enqueued == []
    # The corrected code is then accepted.
    assert submit(session, softmax_question, NAIVE_SOFTMAX, enqueued).created


@needs_sandbox
@pytest.mark.django_db(transaction=True)
def test_an_import_error_is_recorded_as_not_gradable(session, softmax_question, enqueued):
    submission = submit(session, softmax_question, "import numpy\nnumpy.nothing_here\n", enqueued)
    assert run_grade(submission.grade.pk) == "done"
    grade = Grade.objects.get(pk=submission.grade.pk)
    assert grade.score == 0
    assert grade.summary.startswith("Not gradable: Your code could not be imported: AttributeError")
    assert 'File "solution.py", line 2' in grade.summary


@pytest.mark.django_db
def test_text_grades_stay_on_the_default_queue(session, enqueued):
    text_question = session.question_set.items.get(order=1).question
    submission = submit(session, text_question, "Bias squared plus variance plus noise.", enqueued)
    assert grade_queue(submission.grade.pk) == "celery"
