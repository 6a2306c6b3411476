"""A grade and what counting it changes (the revisit schedule) are written in one
transaction: a failure in the follow-up leaves no finished grade the schedule never heard
of, and the grade, still claimed by the failed attempt, is graded again by the sweep once
its heartbeat has stopped (issue 13 item 5)."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from interviews.grading import service
from interviews.grading.service import run_grade
from interviews.grading.sweep import requeue_lost_grades
from interviews.models import Answer, Grade, RevisitSchedule
from tests.factories import GradeFactory

pytestmark = pytest.mark.django_db


def test_a_failed_revisit_update_rolls_the_grade_back_and_the_sweep_grades_it_again(
    monkeypatch, settings, django_capture_on_commit_callbacks, enqueued
):
    grade = GradeFactory(answer__text="High variance: the deep tree overfits; prune it or bag many trees.")
    schedule_revisit = service.schedule_revisit

    def connection_dies(*args):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(service, "schedule_revisit", connection_dies)
    with pytest.raises(OperationalError):
        run_grade(grade.pk)
    grade.refresh_from_db()
    assert grade.status == Grade.Status.RUNNING and grade.score is None and grade.finished_at is None
    assert Answer.objects.get(pk=grade.answer_id).counted_grade_id is None
    assert not RevisitSchedule.objects.exists()

    # The dead attempt beats no more; once its claim expires the sweep sends the grade again.
    monkeypatch.setattr(service, "schedule_revisit", schedule_revisit)
    Grade.objects.filter(pk=grade.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.GRADE_CLAIM_EXPIRES_SECONDS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_grades() == 1
    assert enqueued == [grade.pk]
    assert run_grade(grade.pk) == "done"
    grade.refresh_from_db()
    assert grade.status == Grade.Status.DONE and grade.attempts == 2
    assert Answer.objects.get(pk=grade.answer_id).counted_grade_id == grade.pk
    revisit = RevisitSchedule.objects.get(user=grade.answer.session.candidate, question=grade.answer.question)
    assert revisit.last_rating is not None
