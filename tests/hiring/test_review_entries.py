"""The review page's summary rows (ReviewQueueEntry) follow every write that changes an
answer's place: a grade counting or failing, a regrade, an override; and equal a rebuild."""

import pytest

from hiring.models import ReviewQueueEntry
from hiring.services import overrides, results, review_entries
from interviews.grading.service import regrade, run_grade
from interviews.models import Grade


def _entries():
    return sorted(
        (e.answer_id, e.organization_id, e.priority and round(e.priority, 9), e.gap)
        for e in ReviewQueueEntry.objects.all()
    )


def _same_as_rebuilt():
    kept = _entries()
    review_entries.rebuild()
    return kept == _entries()


@pytest.mark.django_db
def test_a_graded_answer_waits_in_its_teams_queue_and_leaves_it_when_reviewed(world, settings):
    settings.GRADER = "offline"
    answer = world.answer_a
    entry = ReviewQueueEntry.objects.get(answer=answer)
    assert entry.organization == world.org1 and entry.priority is not None and entry.gap is None
    assert [r.answer for r in overrides.review_queue(world.org1)] == [answer]
    assert overrides.review_queue(world.org2) == []
    # A regrade lands, sure of another score: its place now comes from the graders' disagreement.
    [again] = regrade([answer], "offline", world.staff)
    Grade.objects.filter(pk=again.pk).update(status=Grade.Status.DONE, score=0.0, confidence=0.99)
    Grade.objects.get(pk=again.pk).count()
    spread = abs(answer.grades.order_by("pk").first().score - 0.0)
    assert spread > 0.5
    assert ReviewQueueEntry.objects.get(answer=answer).priority == pytest.approx(max(1 - 0.99, spread / 5))
    assert _same_as_rebuilt()
    # Reviewed: out of the queue, among the disagreements with its gap.
    result = results.result_of(answer)
    overrides.save_override(result, world.reviewer1, [1, 1, 1], "checked")
    entry = ReviewQueueEntry.objects.get(answer=answer)
    assert entry.priority is None and entry.gap == pytest.approx(abs(result.answer.override.score - result.grade.score))
    assert overrides.review_queue(world.org1) == []
    assert [r.answer for r in overrides.largest_disagreements(world.org1)] == [answer]
    assert _same_as_rebuilt()


@pytest.mark.django_db
def test_a_failed_first_grade_waits_first_until_a_regrade_is_in_flight(world, settings, monkeypatch):
    from interviews.grading.service import submit_answer

    settings.GRADE_MAX_ATTEMPTS = 1
    second = world.session_a.ordered_questions()[1]
    submission = submit_answer(world.session_a, second, "An answer the grader chokes on.", 30)

    def broken(*args, **kwargs):
        raise RuntimeError("grader down")

    monkeypatch.setattr("interviews.grading.offline.OfflineGrader.grade", broken)
    settings.GRADER = "offline"
    assert run_grade(submission.grade.pk) == "failed"
    failed = ReviewQueueEntry.objects.get(answer=submission.answer)
    assert failed.priority == 3.0
    assert overrides.review_queue(world.org1)[0].answer == submission.answer
    assert _same_as_rebuilt()
    regrade([submission.answer], "offline", world.staff)  # in flight: nothing to review yet
    assert not ReviewQueueEntry.objects.filter(answer=submission.answer).exists()
    assert _same_as_rebuilt()


@pytest.mark.django_db
def test_an_override_moves_the_candidates_question_history(world):
    from interviews.models import QuestionHistory
    from interviews.progress import history

    answer = world.answer_a
    result = results.result_of(answer)
    overrides.save_override(result, world.reviewer1, [0, 0, 0], "nothing right")
    row = QuestionHistory.objects.get(user=world.candidate_a, question=answer.question)
    assert row.best_score == 0.0 and row.latest_practice_score is None  # an assessment: no practice score
    kept = sorted(QuestionHistory.objects.values_list("user", "question", "answers", "best_score"))
    history.rebuild()
    assert kept == sorted(QuestionHistory.objects.values_list("user", "question", "answers", "best_score"))
