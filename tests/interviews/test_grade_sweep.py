"""The sweep re-enqueues only lost grades, once per GRADE_LOST_AFTER_SECONDS (issue 13 item 5).

The broker is the configured one (the filesystem transport here, Redis in CI), read for real:
a grade whose message still waits in it is not published again."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.grading import service
from interviews.grading.service import enqueue_on_commit, run_grade
from interviews.grading.sweep import requeue_lost_grades
from interviews.models import Grade
from tests.factories import GradeFactory

pytestmark = pytest.mark.django_db


def ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def test_the_sweep_requeues_only_lost_grades_and_each_once_per_window(
    settings, django_capture_on_commit_callbacks, enqueued
):
    settings.GRADE_MAX_ATTEMPTS, settings.GRADE_LOST_AFTER_SECONDS, settings.GRADE_CLAIM_EXPIRES_SECONDS = 3, 60, 30
    waiting = GradeFactory()  # behind a backlog: its message is in the queue
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(waiting.pk)
    Grade.objects.filter(pk=waiting.pk).update(queued_at=ago(600))
    never_published = GradeFactory(queued_at=ago(600), task_id="publish-failed")
    just_published = GradeFactory(queued_at=ago(5), task_id="a-retry-in-its-countdown")
    running = dict(status=Grade.Status.RUNNING, attempts=1, started_at=ago(900))
    slow_but_alive = GradeFactory(**running, heartbeat_at=ago(5))  # older than any time limit, still beating
    killed = GradeFactory(**running, heartbeat_at=ago(45))
    killed_too_often = GradeFactory(**{**running, "attempts": 3}, heartbeat_at=ago(45))
    done = GradeFactory(status=Grade.Status.DONE, queued_at=ago(600))
    enqueued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_grades() == 2
    assert sorted(enqueued) == sorted([never_published.pk, killed.pk])
    statuses = dict(Grade.objects.values_list("pk", "status"))
    assert statuses[killed.pk] == statuses[never_published.pk] == Grade.Status.QUEUED
    assert statuses[killed_too_often.pk] == Grade.Status.FAILED
    assert statuses[slow_but_alive.pk] == Grade.Status.RUNNING and statuses[done.pk] == Grade.Status.DONE
    assert statuses[waiting.pk] == statuses[just_published.pk] == Grade.Status.QUEUED

    # Within the window, nothing is sent twice, even for a message the broker lost again.
    Grade.objects.filter(pk=killed.pk).update(task_id="lost-again")
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_grades() == 0
    assert len(enqueued) == 2

    # A window later, only the message that is not in the queue goes out again, once.
    Grade.objects.exclude(status=Grade.Status.DONE).update(queued_at=ago(61))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_grades() == 2  # killed, lost again; just_published, its retry never came
        assert requeue_lost_grades() == 0
    assert sorted(enqueued[2:]) == sorted([killed.pk, just_published.pk])


@pytest.mark.django_db(transaction=True)
def test_a_grade_beats_while_it_is_graded_so_a_long_grade_is_not_taken_back(settings, monkeypatch):
    settings.GRADE_HEARTBEAT_SECONDS, settings.GRADE_CLAIM_EXPIRES_SECONDS = 0.05, 0
    grade = GradeFactory(answer__text="Bias is underfitting; variance is overfitting to the sample.")
    seen = {}

    class SlowGrader:
        def grade(self, item):
            time.sleep(0.4)
            row = Grade.objects.get(pk=grade.pk)
            seen["beat_after_claim"] = row.heartbeat_at > row.started_at
            from interviews.grading.offline import OfflineGrader

            return OfflineGrader().grade(item)

    monkeypatch.setattr(service, "get_grader", lambda name="auto": SlowGrader())
    assert run_grade(grade.pk) == "done"
    assert seen == {"beat_after_claim": True}
    beat = Grade.objects.get(pk=grade.pk).heartbeat_at
    time.sleep(0.2)
    assert Grade.objects.get(pk=grade.pk).heartbeat_at == beat  # the beating stops with the grade


@pytest.mark.django_db(transaction=True)
def test_one_thread_beats_for_every_grade_a_process_runs(settings):
    from interviews.grading import heartbeat

    settings.GRADE_HEARTBEAT_SECONDS = 0.05
    running = {"status": Grade.Status.RUNNING, "attempts": 1, "heartbeat_at": ago(60)}
    first, second = GradeFactory(**running), GradeFactory(**running)
    taken_back = GradeFactory(**{**running, "attempts": 2})  # the sweep re-queued it: attempt 2 is not ours
    with heartbeat.beating(first.pk, 1):
        thread = heartbeat._thread
        with heartbeat.beating(second.pk, 1), heartbeat.beating(taken_back.pk, 1):
            time.sleep(0.3)
    beats = dict(Grade.objects.values_list("pk", "heartbeat_at"))
    assert beats[first.pk] > ago(5) and beats[second.pk] > ago(5)
    assert beats[taken_back.pk] < ago(30)
    with heartbeat.beating(first.pk, 1):
        assert heartbeat._thread is thread  # no thread per grade
    assert heartbeat._beating == {}
