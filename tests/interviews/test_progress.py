from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Answer, Grade, InterviewSession
from interviews.progress.mastery import mastery_by_skill, readiness_for, streak
from tests.factories import (
    InterviewSessionFactory,
    PostingFactory,
    QuestionFactory,
    QuestionSetFactory,
    SkillFactory,
)


def graded(user, question, score, days_ago=0):
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]))
    answer = Answer.objects.create(
        session=session, question=question, text="an answer", submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    grade = Grade.objects.create(answer=answer, status=Grade.Status.DONE, score=score)
    grade.count()  # as the grading attempt that finishes it does
    return grade


@pytest.mark.django_db
def test_mastery_rises_with_good_answers_and_is_surer_with_more_of_them(user):
    skill = SkillFactory(slug="sql")
    graded(user, QuestionFactory(skills=[skill], difficulty=3), 5)
    one = mastery_by_skill(user)["sql"]
    for _ in range(4):
        graded(user, QuestionFactory(skills=[skill], difficulty=3), 5)
    five = mastery_by_skill(user)["sql"]
    assert 0.5 < one.mean < five.mean <= 1
    assert five.sd < one.sd
    assert five.answers == 5


@pytest.mark.django_db
def test_difficulty_weighs_the_evidence(user, django_user_model):
    skill = SkillFactory(slug="pandas")
    other = django_user_model.objects.create_user(email="other@example.com", password="x-long-password")
    graded(user, QuestionFactory(skills=[skill], difficulty=5), 5)  # aced a hard question
    graded(other, QuestionFactory(skills=[skill], difficulty=1), 5)  # aced an easy one
    assert mastery_by_skill(user)["pandas"].mean > mastery_by_skill(other)["pandas"].mean
    failed_easy, failed_hard = SkillFactory(slug="probability"), SkillFactory(slug="statistics")
    graded(user, QuestionFactory(skills=[failed_easy], difficulty=1), 0)
    graded(user, QuestionFactory(skills=[failed_hard], difficulty=5), 0)
    mastery = mastery_by_skill(user)
    assert mastery["probability"].mean < mastery["statistics"].mean


@pytest.mark.django_db
def test_readiness_weighs_mastery_by_the_posting_profile_and_names_the_biggest_gap(bank, user):
    from interviews.postings.services import create_posting

    posting = create_posting(user, "ML Engineer\nRequirements:\n- Expert SQL\n- Some pandas", use_llm=False)
    assert readiness_for([posting], {})[0].score == 0
    from interviews.models import Question

    graded(user, Question.objects.filter(primary_skill__slug="sql").first(), 5)
    [ready] = readiness_for([posting], mastery_by_skill(user))
    assert 0 < ready.score < 1
    assert ready.gaps[0][0] == "pandas"


@pytest.mark.django_db
def test_a_streak_counts_consecutive_days_up_to_today(user):
    question = QuestionFactory()
    for days_ago in (0, 1, 2, 4):
        graded(user, question if days_ago == 0 else QuestionFactory(), 3, days_ago=days_ago)
    assert streak(user) == 3
    assert streak(user, today=timezone.localdate() + timedelta(days=1)) == 3  # today not done yet
    assert streak(user, today=date(2000, 1, 1)) == 0


@pytest.mark.django_db
def test_the_progress_page_runs_a_constant_number_of_queries(client_logged_in, user, django_assert_max_num_queries):
    skill = SkillFactory(slug="sql")
    PostingFactory(owner=user)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client_logged_in.get(reverse("progress")).status_code == 200
        return len(ctx)

    for i in range(3):
        graded(user, QuestionFactory(skills=[skill], difficulty=2), 3, days_ago=i)
    few = count_queries()
    for i in range(30):
        graded(user, QuestionFactory(skills=[SkillFactory()], difficulty=3), 4, days_ago=i)
        PostingFactory(owner=user)
    assert count_queries() == few


@pytest.mark.django_db
def test_practice_starts_a_session_on_the_chosen_skill_and_difficulty(client_logged_in, user):
    skill = SkillFactory(slug="sql")
    easy = [QuestionFactory(skills=[skill], difficulty=1) for _ in range(3)]
    QuestionFactory(skills=[skill], difficulty=5)
    response = client_logged_in.post(reverse("practice_start"), {"skill": skill.pk, "difficulty": 1, "questions": 3})
    session = InterviewSession.objects.get(candidate=user)
    assert response["Location"] == reverse("interview_detail", args=[session.pk])
    assert set(session.ordered_questions()) == set(easy)
    assert session.question_set.title == f"Practice: {skill.name}"
    assert client_logged_in.post(reverse("practice_start"), {"questions": 0}).status_code == 400


@pytest.mark.django_db
def test_each_requirement_is_traced_to_mastery_and_the_answers_behind_it(bank, client_logged_in, user):
    from interviews.models import Question
    from interviews.postings.services import create_posting
    from interviews.progress.mastery import requirement_readiness

    posting = create_posting(user, "ML Engineer\nRequirements:\n- Expert SQL\n- Some pandas\n- 5+ years", use_llm=False)
    question = Question.objects.filter(primary_skill__slug="sql").first()
    graded(user, question, 4)
    rows = {r.text: r for r in requirement_readiness(posting, user)}
    assert rows["Expert SQL"].readiness > 0 and rows["Expert SQL"].evidence == [(question.slug, 4.0)]
    assert rows["Some pandas"].readiness == 0 and rows["Some pandas"].skills[0][1] is None
    assert rows["5+ years"].readiness is None
    page = client_logged_in.get(reverse("posting_detail", args=[posting.pk])).content.decode()
    assert "requirement by requirement" in page and f"{question.slug}: 4.0" in page


@pytest.mark.django_db
def test_the_dashboard_names_the_practice_that_raises_readiness_most(bank, client_logged_in, user):
    from interviews.postings.services import create_posting

    text = "ML Engineer\nRequirements:\n- Expert SQL and query plans\nNice to have:\n- Some pandas"
    create_posting(user, text, use_llm=False)
    page = client_logged_in.get(reverse("home")).content.decode()
    assert "What to do next" in page and "Practise SQL (3 questions)" in page
