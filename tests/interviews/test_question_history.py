"""The posting page's summary rows (QuestionHistory) stay equal to what the answers say,
through every write that changes them: an answer submitted, a grade counting, a regrade,
a stale grade, an override, the candidate deleted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Answer, Grade, InterviewSession, QuestionHistory
from interviews.planning.plan import REVISIT_AFTER, history
from interviews.progress import history as question_history
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory, SkillFactory


def _rows(user):
    return sorted(
        (h.question_id, h.answers, h.last_answered, h.best_score, h.latest_practice_score)
        for h in QuestionHistory.objects.filter(user=user)
    )


def _same_as_rebuilt(user):
    kept = _rows(user)
    question_history.rebuild()
    return kept == _rows(user)


def _answer(user, question, mode=InterviewSession.Mode.PRACTICE, days_ago=0):
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]), mode=mode)
    return Answer.objects.create(
        session=session, question=question, text="an answer", submitted_at=timezone.now() - timedelta(days=days_ago)
    )


def _grade(answer, score):
    grade = Grade.objects.create(answer=answer, status=Grade.Status.DONE, score=score)
    return grade, grade.count()


@pytest.mark.django_db
def test_a_row_follows_answers_grades_regrades_and_stale_grades(user):
    question = QuestionFactory(skills=[SkillFactory()])
    old = _answer(user, question, days_ago=10)
    assert _rows(user) == [(question.pk, 1, old.submitted_at, None, None)]  # answered, not graded yet
    _grade(old, 4.0)
    new = _answer(user, question, days_ago=1)
    stale, _ = _grade(new, 1.0)
    _, outcome = _grade(new, 2.0)  # a regrade lowers the latest score
    assert outcome == "newer"
    assert Grade.objects.get(pk=stale.pk).count() == "stale"
    assert _rows(user) == [(question.pk, 2, new.submitted_at, 4.0, 2.0)]
    _grade(old, 0.5)  # a regrade of the best answer lowers the best
    assert _rows(user) == [(question.pk, 2, new.submitted_at, 2.0, 2.0)]
    assert _same_as_rebuilt(user)
    # What the plan reads: answered within REVISIT_AFTER, but badly: due to revisit.
    assert history(user) == ({question.pk: 1}, 2)


@pytest.mark.django_db
def test_assessment_answers_count_as_seen_but_not_as_practice_scores(user):
    question = QuestionFactory(skills=[SkillFactory()])
    _grade(_answer(user, question, mode=InterviewSession.Mode.ASSESSMENT), 5.0)
    [(_, answers, _, best, latest)] = _rows(user)
    assert (answers, best, latest) == (1, 5.0, None)
    assert history(user) == ({question.pk: 2}, 1)  # answered recently and well
    assert _same_as_rebuilt(user)


@pytest.mark.django_db
def test_rows_go_with_the_candidate(user):
    _grade(_answer(user, QuestionFactory(skills=[SkillFactory()]), days_ago=REVISIT_AFTER.days + 1), 5.0)
    assert QuestionHistory.objects.filter(user=user).count() == 1
    user.delete()
    assert not QuestionHistory.objects.exists()
