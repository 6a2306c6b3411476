"""The progress pages' summary rows (SkillScore, DailyScore) stay equal to what the
answers say, through every way a counted score changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Answer, DailyScore, Grade, InterviewSession, SkillScore
from interviews.progress import summary
from interviews.progress.mastery import mastery_by_skill, score_history, streak
from tests.factories import InterviewSessionFactory, QuestionFactory, QuestionSetFactory, SkillFactory


def _rows(user):
    skills = sorted(
        (s.skill_id, round(s.successes, 9), round(s.failures, 9), s.answers)
        for s in SkillScore.objects.filter(user=user)
    )
    days = sorted((d.day, round(d.total, 9), d.answers) for d in DailyScore.objects.filter(user=user))
    return skills, days


def _answer(user, question, mode=InterviewSession.Mode.PRACTICE, days_ago=0):
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]), mode=mode)
    return Answer.objects.create(
        session=session, question=question, text="an answer", submitted_at=timezone.now() - timedelta(days=days_ago)
    )


def _grade(answer, score):
    grade = Grade.objects.create(answer=answer, status=Grade.Status.DONE, score=score)
    return grade, grade.count()


@pytest.mark.django_db
def test_summary_rows_follow_first_grades_regrades_and_stale_grades(user):
    sql, numpy = SkillFactory(slug="sql"), SkillFactory(slug="numpy")
    both = QuestionFactory(skills=[sql, numpy], difficulty=4)
    one = QuestionFactory(skills=[sql], difficulty=2)
    first = _answer(user, both)
    _grade(_answer(user, one, days_ago=3), 1.0)
    stale, _ = _grade(first, 2.0)  # created first: an older attempt
    _, outcome = _grade(first, 4.5)
    assert outcome == "newer"
    assert Grade.objects.filter(pk=stale.pk).get().count() == "stale"  # a late finish changes nothing
    incremental = _rows(user)
    summary.rebuild()
    assert _rows(user) == incremental  # the same rows as recomputing from the answers
    # One answer per question, each counted once at the score that counts now.
    mastery = mastery_by_skill(user)
    assert mastery["sql"].answers == 2 and mastery["numpy"].answers == 1
    a = 1 + (4.5 / 5) * 4 / 3 + (1.0 / 5) * 2 / 3
    b = 1 + (1 - 4.5 / 5) * 3 / 4 + (1 - 1.0 / 5) * 3 / 2
    assert mastery["sql"].mean == pytest.approx(a / (a + b))
    today = timezone.localdate()
    assert score_history(user) == [(today - timedelta(days=3), 1.0, 1), (today, 4.5, 1)]
    assert streak(user) == 1


@pytest.mark.django_db
def test_assessment_answers_stay_out_of_the_summary_rows(user):
    question = QuestionFactory(skills=[SkillFactory()])
    _grade(_answer(user, question, mode=InterviewSession.Mode.ASSESSMENT), 5.0)
    assert _rows(user) == ([], [])
    assert mastery_by_skill(user) == {} and score_history(user) == []


@pytest.mark.django_db
def test_an_override_moves_the_summary_rows_and_later_grades_do_not(user):
    question = QuestionFactory(skills=[SkillFactory(slug="stats")], difficulty=3)
    answer = _answer(user, question)
    _grade(answer, 1.0)
    # As save_override records it, on an answer whose score then counts from the review.
    summary.score_changed(answer.pk, 1.0, 5.0)
    from hiring.models import ScoreOverride

    override = ScoreOverride.objects.create(answer=answer, reviewer=user, score=5.0, comment="ok")
    Answer.objects.filter(pk=answer.pk).update(override=override)
    _grade(answer, 0.0)  # a regrade lands under the override: the review still counts
    assert mastery_by_skill(user)["stats"].answers == 1
    assert score_history(user)[0][1] == 5.0
    incremental = _rows(user)
    summary.rebuild()
    assert _rows(user) == incremental
