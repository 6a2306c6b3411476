from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.grading.service import run_grade
from interviews.models import RevisitSchedule
from interviews.progress.revisits import Rating, rating_for, schedule_revisit
from tests.factories import GradeFactory, QuestionFactory


@pytest.mark.parametrize(
    ("score", "rating"), [(0, Rating.Again), (2.5, Rating.Hard), (4, Rating.Good), (5, Rating.Easy)]
)
def test_grades_map_to_fsrs_ratings(score, rating):
    assert rating_for(score) == rating


@pytest.mark.django_db
def test_a_finished_grade_schedules_the_question_to_revisit():
    grade = GradeFactory(answer__text="Regularisation and more data reduce variance; bias comes from simple models.")
    run_grade(grade.pk)
    schedule = RevisitSchedule.objects.get(user=grade.answer.session.candidate, question=grade.answer.question)
    assert schedule.due > timezone.now() - timedelta(minutes=1)
    assert schedule.card["state"] >= 1


@pytest.mark.django_db
def test_a_forgotten_question_comes_back_sooner_than_an_easy_one(user):
    easy = schedule_revisit(user, QuestionFactory(), Rating.Easy)
    again = schedule_revisit(user, QuestionFactory(), Rating.Again)
    assert again.due < easy.due


@pytest.mark.django_db
def test_try_again_later_puts_the_question_among_those_to_revisit(client_logged_in, user):
    grade = GradeFactory(answer__session__candidate=user, answer__text="An answer about variance and bias.")
    run_grade(grade.pk)
    question = grade.answer.question
    response = client_logged_in.post(
        reverse("revisit_later", args=[grade.answer.session.pk]), {"question": question.pk}, follow=True
    )
    assert "comes back for you to revisit" in response.content.decode()
    schedule = RevisitSchedule.objects.get(user=user, question=question)
    assert schedule.last_rating == int(Rating.Again)
    RevisitSchedule.objects.filter(pk=schedule.pk).update(due=timezone.now() - timedelta(minutes=1))
    assert question.prompt[:30] in client_logged_in.get(reverse("progress")).content.decode()


@pytest.mark.django_db
def test_the_answer_shows_the_cited_evidence_highlighted(client_logged_in, user):
    grade = GradeFactory(answer__session__candidate=user, answer__text="Line one.\nVariance falls with more data.")
    grade.status, grade.score = "done", 3.0
    grade.criteria = [{"criterion": "c", "points": 1, "max_points": 1, "evidence": "Variance falls", "feedback": "ok"}]
    grade.save()
    page = client_logged_in.get(reverse("interview_detail", args=[grade.answer.session.pk])).content.decode()
    assert "<mark>Variance falls</mark>" in page
