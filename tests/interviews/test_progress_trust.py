"""Readiness counts only what grades have shown; the progress page explains it, draws
mastery as a range, waits for a trend, and suggests the practice that helps most."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Grade, Requirement, RequirementSkill
from interviews.progress.mastery import mastery_by_skill, readiness_for, requirement_readiness, skill_to_practise
from tests.factories import InterviewSessionFactory, PostingFactory, QuestionFactory, QuestionSetFactory, SkillFactory

pytestmark = pytest.mark.django_db


def graded(user, question, score, days_ago=0):
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]))
    answer = Answer.objects.create(
        session=session, question=question, text="an answer", submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    grade = Grade.objects.create(answer=answer, status=Grade.Status.DONE, score=score)
    grade.count()  # as the grading attempt that finishes it does
    return grade


def posting_on(user, *skills, title="ML Engineer"):
    posting = PostingFactory(owner=user, title=title)
    for order, skill in enumerate(skills):
        requirement = Requirement.objects.create(
            posting=posting, order=order, text=f"Strong {skill.name}", section=Requirement.Section.MUST
        )
        RequirementSkill.objects.create(requirement=requirement, skill=skill)
    return posting


def ready(user, posting):
    [result] = readiness_for([posting], mastery_by_skill(user))
    return result.score


def test_a_single_grade_of_zero_leaves_readiness_at_zero(user):
    sql = SkillFactory(slug="sql")
    posting = posting_on(user, sql)
    graded(user, QuestionFactory(skills=[sql], difficulty=3), 0)
    mastery = mastery_by_skill(user)["sql"]
    assert mastery.mean == pytest.approx(1 / 3)  # the Beta estimate still starts from its prior
    assert mastery.shown == 0
    assert ready(user, posting) == 0
    assert requirement_readiness(posting, user)[0].readiness == 0


def test_scores_of_zero_and_two_and_a_half_raise_readiness_only_a_little(user):
    sql, pandas = SkillFactory(slug="sql"), SkillFactory(slug="pandas")
    posting = posting_on(user, sql, pandas)
    graded(user, QuestionFactory(skills=[sql], difficulty=3), 0)
    graded(user, QuestionFactory(skills=[pandas], difficulty=3), 2.5)
    # Counting the Beta(1, 1) prior as evidence gave (1/3 + 1/2) / 2 = 42% here.
    assert 0 < ready(user, posting) < 0.1


def test_readiness_grows_with_good_answers_towards_the_mastery_estimate(user):
    sql = SkillFactory(slug="sql")
    posting = posting_on(user, sql)
    scores = []
    for _ in range(6):
        graded(user, QuestionFactory(skills=[sql], difficulty=3), 5)
        scores.append(ready(user, posting))
    assert scores == sorted(scores) and scores[0] < 0.4 < 0.7 < scores[-1]
    assert scores[-1] < mastery_by_skill(user)["sql"].mean


def test_the_practice_suggestion_is_the_biggest_readiness_gain_else_the_weakest_skill(user):
    calculus, sql, pandas = (SkillFactory(slug=s) for s in ("calculus", "sql", "pandas"))
    graded(user, QuestionFactory(skills=[calculus], difficulty=3), 1)
    graded(user, QuestionFactory(skills=[pandas], difficulty=3), 4)
    mastery = mastery_by_skill(user)
    assert skill_to_practise([], mastery)[0] == "calculus"  # no posting: the weakest practised skill
    assert skill_to_practise([], {}) is None
    posting = posting_on(user, sql, pandas)
    slug, why = skill_to_practise(readiness_for([posting], mastery), mastery)
    assert slug == "sql" and "ML Engineer" in why  # unpractised, so mastering it gains most


def test_the_progress_page_explains_readiness_and_preselects_the_suggested_skill(client_logged_in, user):
    SkillFactory(slug="calculus", name="Calculus")  # the first skill, the old default
    sql = SkillFactory(slug="sql", name="SQL")
    posting_on(user, sql)
    page = client_logged_in.get(reverse("progress")).content.decode()
    assert "How is this computed?" in page
    assert "stays at 0% until you have practised it" in page
    assert f'<option value="{sql.pk}" selected>SQL</option>' in page
    assert "Suggested: <strong>SQL</strong>" in page


def test_mastery_is_sent_to_the_chart_as_a_range_around_the_mean(client_logged_in, user):
    sql = SkillFactory(slug="sql", name="SQL")
    graded(user, QuestionFactory(skills=[sql], difficulty=3), 0)
    chart = json.loads(
        client_logged_in.get(reverse("progress"))
        .content.decode()
        .split('id="progress-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    [mean], [(low, high)] = chart["mastery"]["mean"], chart["mastery"]["range"]
    assert 0 <= low < mean < high <= 100
    assert "sd" not in chart["mastery"]


def test_scores_over_time_wait_for_three_days_before_drawing_a_trend(client_logged_in, user):
    question = QuestionFactory()
    for days_ago in (0, 1):
        graded(user, question if days_ago == 0 else QuestionFactory(), 3, days_ago=days_ago)
    response = client_logged_in.get(reverse("progress"))
    page = response.content.decode()
    assert "Answer a few more questions to see a trend" in page and 'id="history-chart"' not in page
    assert response.context["chart"]["history"]["days"] == []
    graded(user, QuestionFactory(), 4, days_ago=2)
    response = client_logged_in.get(reverse("progress"))
    assert 'id="history-chart"' in response.content.decode()
    assert len(response.context["chart"]["history"]["scores"]) == 3


def test_the_posting_page_and_dashboard_show_the_readiness_they_explain(client_logged_in, user):
    sql = SkillFactory(slug="sql", name="SQL")
    posting = posting_on(user, sql)
    graded(user, QuestionFactory(skills=[sql], difficulty=3), 0)
    [row] = requirement_readiness(posting, user)
    # The skill column shows what readiness counts, not the Beta mean of 1/3 after one zero.
    assert row.skills == [("SQL", 0.0)] and row.readiness == 0
    for url in (reverse("posting_detail", args=[posting.pk]), reverse("home")):
        page = client_logged_in.get(url).content.decode()
        assert "How is this computed?" in page, url
