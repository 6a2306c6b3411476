"""One grade counts for an answer: after a staff regrade and a reviewer's override, every
page and figure counts the answer once, with the score that counts (the override, else
the newest finished grade), and a stale attempt finishing late changes nothing."""

import csv
import io
import re
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

from hiring.models import ScoreOverride
from hiring.services import overrides, results
from hiring.services.agreement import agreement_for
from interviews.grading.service import regrade, run_grade, submit_answer
from interviews.models import Answer, Grade, Requirement, RequirementSkill, RevisitSchedule
from interviews.planning.plan import familiarity
from interviews.progress import summary
from interviews.progress.mastery import mastery_by_skill, readiness_for, requirement_readiness, score_history
from tests.factories import (
    InterviewSessionFactory,
    PostingFactory,
    QuestionFactory,
    QuestionSetFactory,
    SkillFactory,
    UserFactory,
)
from tests.hiring.conftest import login

ANSWER = "Expected error is bias squared plus variance plus noise; more data and regularisation cut variance."


def _regraded(answer: Answer, staff) -> Grade:
    """The answer's first grade said 0.5; a staff regrade then finishes with its own score."""
    first = answer.grades.get()
    Grade.objects.filter(pk=first.pk).update(score=0.5)
    summary.score_changed(answer.pk, first.score, 0.5)  # the progress summary rows hear of the rewrite, as of any
    [second] = regrade([answer], "offline", staff)
    assert run_grade(second.pk) == "done"
    second.refresh_from_db()
    assert second.score is not None and second.score != 0.5  # the two grades can be told apart
    return second


def _scores_on(page: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}">([^<]*)<', page)


@pytest.mark.django_db
def test_a_regraded_practice_answer_counts_once_in_mastery_history_readiness_and_pages(client, settings):
    settings.GRADER = "offline"
    user, staff = UserFactory(), UserFactory(is_staff=True)
    skill = SkillFactory(slug="bias-variance")
    question = QuestionFactory(skills=[skill], difficulty=3)
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]))
    submission = submit_answer(session, question, ANSWER, 60)
    run_grade(submission.grade.pk)
    schedule_before = RevisitSchedule.objects.get(user=user, question=question).card
    second = _regraded(submission.answer, staff)
    score = second.score
    assert score is not None

    answer = Answer.objects.get(pk=submission.answer.pk)
    assert answer.counted_grade == second and answer.override is None
    mastery = mastery_by_skill(user)["bias-variance"]
    a, b = 1 + (score / 5), 1 + (1 - score / 5)  # difficulty 3: one answer, weight 1 each way
    assert mastery.answers == 1 and mastery.mean == pytest.approx(a / (a + b))
    assert score_history(user) == [(timezone.localdate(), pytest.approx(score), 1)]
    posting = PostingFactory(owner=user)
    requirement = Requirement.objects.create(posting=posting, order=0, text="Bias and variance", section="must")
    RequirementSkill.objects.create(requirement=requirement, skill=skill)
    [ready] = readiness_for([posting], mastery_by_skill(user))
    assert ready.score == pytest.approx((a - 1) / (a + b))
    [traced] = requirement_readiness(posting, user)
    assert traced.evidence == [(question.slug, pytest.approx(score))]
    assert familiarity(user)[question.pk] == (2 if score >= 3 else 1)
    # A regrade is not a second attempt by the candidate: the review schedule heard once.
    assert RevisitSchedule.objects.get(user=user, question=question).card == schedule_before

    login(client, user)
    progress = client.get(reverse("progress"))
    assert progress.context["graded"] == 1
    assert [m.answers for m in progress.context["mastery"]] == [1]
    shown = floatformat(score, 1)  # as the templates round (half up: 0.85 shows 0.9, not f"{0.85:.1f}")
    assert f"— {shown}/5" in progress.content.decode()  # recent answers: the grade that counts
    interview = client.get(reverse("interview_detail", args=[session.pk])).content.decode()
    assert _scores_on(interview, "score") == [shown]
    assert f"{shown} / 5" in interview and "0.5 / 5" not in interview  # the summary table


@pytest.mark.django_db
def test_a_regraded_then_overridden_assessment_answer_counts_once_everywhere(world, client):
    answer = world.answer_a
    second = _regraded(answer, world.staff)
    score = second.score
    assert score is not None
    login(client, world.manager1)

    def counted_everywhere(expected: float, how: str) -> None:
        page = client.get(reverse("set_results", args=[world.team_set.pk]))
        [row] = [r for r in page.context["rows"] if r.session is not None]
        assert [r.answer_id for r in row.answers] == [answer.pk]
        assert row.answers[0].score == pytest.approx(expected)
        assert row.total_percent == pytest.approx(100 * expected / 10)  # two questions of 5 points
        assert page.context["outdated"] == 0
        exported = client.get(reverse("set_results_csv", args=[world.team_set.pk])).content.decode()
        [line] = [r for r in csv.DictReader(io.StringIO(exported)) if r["candidate"] == world.candidate_a.email]
        assert line["answered"] == "1" and line[f"question: {answer.question.slug}"] == f"{expected:.2f}"
        transcript = client.get(reverse("transcript", args=[world.session_a.pk])).content.decode()
        assert _scores_on(transcript, "effective-score") == [floatformat(expected, 1)]
        assert f"({how})" in transcript

    counted_everywhere(score, "automatic")
    queue = overrides.review_queue(world.org1)
    assert [r.answer.pk for r in queue] == [answer.pk] and queue[0].grade == second
    assert overrides.in_review_order(world.org1).count() == 1

    reviewer = world.reviewer1
    overrides.save_override(results.result_of(answer), reviewer, [0, 0, 1], "Only the remedy is right.")
    later = overrides.save_override(results.result_of(answer), reviewer, [1, 1, 1], "On a second read, half right.")
    assert Answer.objects.get(pk=answer.pk).override == later and later.grade == second
    counted_everywhere(later.score, "reviewer override")
    transcript = client.get(reverse("transcript", args=[world.session_a.pk])).content.decode()
    assert transcript.count("(superseded)") == 1 and transcript.count('data-testid="override"') == 2
    assert overrides.review_queue(world.org1) == [] and overrides.in_review_order(world.org1).count() == 0
    [disagreement] = overrides.largest_disagreements(world.org1)
    assert disagreement.override == later and disagreement.human_gap == pytest.approx(abs(later.score - score))
    agreement = agreement_for(world.team_set).overall
    assert agreement is not None and agreement.n == 1


@pytest.mark.django_db
def test_a_stale_grade_finishing_after_a_newer_one_never_counts(settings):
    settings.GRADER = "offline"
    user, staff = UserFactory(), UserFactory(is_staff=True)
    question = QuestionFactory(skills=[SkillFactory(slug="stale")])
    session = InterviewSessionFactory(candidate=user, question_set=QuestionSetFactory(questions=[question]))
    submission = submit_answer(session, question, ANSWER, 60)
    [newer] = regrade([submission.answer], "offline", staff)
    assert run_grade(newer.pk) == "done"
    assert run_grade(submission.grade.pk) == "done"  # the first grade's message arrives late
    answer = Answer.objects.get(pk=submission.answer.pk)
    assert answer.counted_grade_id == newer.pk
    assert mastery_by_skill(user)["stale"].answers == 1
    assert RevisitSchedule.objects.filter(user=user, question=question).count() == 1


@pytest.mark.django_db
def test_the_migration_backfills_the_newest_finished_grade_and_the_newest_override(world):
    answer = world.answer_a
    done = answer.grades.get()
    later_done = Grade.objects.create(answer=answer, status=Grade.Status.DONE, score=3.0)
    Grade.objects.create(answer=answer, status=Grade.Status.FAILED)  # a failed regrade never counts
    older = ScoreOverride.objects.create(answer=answer, reviewer=world.reviewer1, score=1.0, comment="first")
    newer = ScoreOverride.objects.create(answer=answer, reviewer=world.reviewer1, score=2.0, comment="second")
    ScoreOverride.objects.filter(pk=older.pk).update(created_at=newer.created_at)  # a tie: the higher id wins
    Answer.objects.update(counted_grade=None, override=None)
    # The migration predates the rename of HumanReview to ScoreOverride (same table contents).
    renamed = SimpleNamespace(
        get_model=lambda app, name: ScoreOverride if name == "HumanReview" else apps.get_model(app, name)
    )
    import_module("interviews.migrations.0006_answer_counted_grade_and_override").backfill(renamed, None)
    answer.refresh_from_db()
    assert answer.counted_grade == later_done and answer.counted_grade != done and answer.override == newer
    assert Answer.objects.with_counted_score().get(pk=answer.pk).counted_score == 2.0
