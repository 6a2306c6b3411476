import csv
import gc
import io
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db.models import Model
from django.db.models.base import ModelState
from django.template.defaultfilters import floatformat
from django.urls import reverse

from hiring.models import AssessmentEvent, ScoreOverride
from hiring.services import overrides, results, review_entries
from hiring.services.agreement import Agreement, agreement_for, pearson, question_label
from hiring.services.overrides import OverrideError
from interviews.grading.service import run_grade, submit_answer
from interviews.models import Grade
from tests.hiring.conftest import login


def _finish(world):
    """A answers the second question too; both graded by the offline grader."""
    second = world.session_a.ordered_questions()[1]
    submission = submit_answer(world.session_a, second, "Dropout is off at inference; activations are scaled.", 90)
    run_grade(submission.grade.pk)
    return submission.answer


def test_the_results_table_shows_total_skills_time_and_flags(world, client):
    _finish(world)
    AssessmentEvent.objects.create(session=world.session_a, kind="paste", chars=300)
    for _ in range(3):  # each count is its own: none multiplied by the other's rows or the set's questions
        AssessmentEvent.objects.create(session=world.session_a, kind="blur")
    login(client, world.reviewer1)
    page = client.get(reverse("set_results", args=[world.team_set.pk]))
    assert page.status_code == 200
    [row] = page.context["rows"]
    assert row.focus_losses == 3 and row.questions == world.session_a.question_set.items.count() > 1
    scores = [r.score for r in row.answers]
    assert row.status == "finished" and len(scores) == 2
    assert row.total_percent == pytest.approx(100 * sum(scores) / 10)
    assert row.by_skill and all(0 <= v <= 5 for v in row.by_skill.values())
    assert row.pastes == 1 and row.minutes is not None
    assert b"1 paste" in page.content and b"Transcript" in page.content


def test_the_results_rows_leave_no_reference_cycle_behind(world):
    """A results page or CSV builds an object per attempt: refcounting must free them when
    the request ends. Linking an invitation to its session the usual way (`invite.session =`)
    linked the session back to it too; each page's 200 pairs then waited for a full
    collection, a 17-22 ms pause every few CSV downloads at 1M answers."""
    _finish(world)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds unreachable stays in gc.garbage
    try:
        rows = results.attempts(world.team_set)
        assert rows and rows[0].status == "finished"
        del rows
        gc.collect()
        # (Django's query compiler leaves a small cycle of its own per query: a closure.)
        left = [o for o in gc.garbage if isinstance(o, Model | ModelState | results.Attempt | results.AnswerRow)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []


def test_a_reviewer_override_is_kept_beside_the_automatic_grade_and_counts(world, client):
    answer = world.answer_a
    grade = answer.grades.get()
    login(client, world.reviewer1)
    form = client.get(reverse("answer_override", args=[answer.pk]))
    assert form.status_code == 200 and b"Save override" in form.content
    criteria = grade.criteria
    data = {f"points_{i}": c["max_points"] for i, c in enumerate(criteria)} | {"comment": "Complete and correct."}
    response = client.post(reverse("answer_override", args=[answer.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("transcript", args=[world.session_a.pk])
    override = ScoreOverride.objects.get(answer=answer)
    assert override.score == 5.0 and override.grade == grade and override.reviewer == world.reviewer1
    grade.refresh_from_db()
    assert grade.score is not None and grade.status == Grade.Status.DONE  # untouched
    assert results.result_of(answer).score == 5.0
    transcript = client.get(reverse("transcript", args=[world.session_a.pk]))
    assert b"Complete and correct." in transcript.content and b"reviewer override" in transcript.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"comment": ""}, b"This field is required"),
        ({"comment": "ok", "points_0": 99}, b"less than or equal"),
    ],
)
def test_a_bad_override_gets_a_message_and_saves_nothing(world, client, data, message):
    criteria = world.answer_a.grades.get().criteria
    login(client, world.reviewer1)
    full = {f"points_{i}": 0 for i in range(len(criteria))} | data
    response = client.post(reverse("answer_override", args=[world.answer_a.pk]), full)
    assert response.status_code == 400 and message in response.content
    assert not ScoreOverride.objects.exists()


def test_save_override_checks_points_and_comment(world):
    result = results.result_of(world.answer_a)
    with pytest.raises(OverrideError, match="comment"):
        overrides.save_override(result, world.reviewer1, [0, 0, 0], "   ")
    with pytest.raises(OverrideError, match="every criterion"):
        overrides.save_override(result, world.reviewer1, [1], "short")
    with pytest.raises(OverrideError, match="between 0 and"):
        overrides.save_override(result, world.reviewer1, [9, 0, 0], "too many")


def test_agreement_per_question_criterion_and_grader(world):
    second = _finish(world)
    for answer, points in ((world.answer_a, [0, 0, 0]), (second, None)):
        result = results.result_of(answer)
        rows = overrides.criteria_for_override(result)
        human = points if points is not None else [float(r["auto"]) for r in rows]
        overrides.save_override(result, world.reviewer1, human, "reviewed")
    report = agreement_for(world.team_set)
    autos = [results.result_of(a).grade.score for a in (world.answer_a, second)]
    humans = [0.0, results.result_of(second).override.score]
    expected_mae = sum(abs(a - h) for a, h in zip(autos, humans, strict=True)) / 2
    assert report.overall.n == 2 and report.overall.mae == pytest.approx(expected_mae)
    assert {a.label for a in report.by_grader} == {"Built-in grader"}
    assert len(report.by_question) == 2 and all(a.n == 1 for a in report.by_question)
    # Rows are labelled with what reviewers read, never internal slugs.
    labels = [a.label for a in report.by_question + report.by_criterion]
    assert not any(answer.question.slug in label for label in labels for answer in (world.answer_a, second))
    assert question_label(second.question) in {a.label for a in report.by_question}
    # Criterion points: the agreed answer matches exactly on every criterion.
    agreed = [a for a in report.by_criterion if a.label.startswith(question_label(second.question) + ":")]
    assert agreed and all(a.mae == 0 and a.within_one == 1.0 for a in agreed)


def test_agreement_figures_are_right_on_known_pairs():
    a = Agreement.of("x", [(1.0, 1.0), (2.0, 3.0), (4.0, 2.0), (5.0, 5.0)])
    assert a.n == 4 and a.mae == pytest.approx(0.75) and a.within_one == 0.75
    assert a.pearson == pytest.approx(7 / (87.5**0.5))  # worked by hand: Sxy=7, Sxx=10, Syy=8.75
    assert pearson([(1, 1), (2, 2)]) is None and pearson([(1, 3), (2, 3), (4, 3)]) is None


def test_the_review_queue_puts_failed_and_low_confidence_first_and_drops_reviewed(world, client):
    second = _finish(world)
    Grade.objects.filter(answer=world.answer_a).update(confidence=0.9, needs_review=False)
    Grade.objects.filter(answer=second).update(confidence=0.3, needs_review=True)
    # Grades rewritten in place (the app never does): the queue's summary rows hear of it.
    review_entries.refresh([world.answer_a.pk, second.pk])
    login(client, world.reviewer1)
    queue = client.get(reverse("review_queue", args=[world.org1.slug])).context["queue"]
    assert [r.answer for r in queue] == [second, world.answer_a]
    # Graders that disagree rank above a confident lone grade.
    Grade.objects.filter(answer=second).update(confidence=0.95, needs_review=False)
    Grade.objects.create(answer=world.answer_a, status="done", score=0.5, confidence=0.9, grader="llm").count()
    Grade.objects.filter(answer=world.answer_a).exclude(grader="llm").update(score=4.5)
    review_entries.refresh([world.answer_a.pk, second.pk])
    queue = overrides.review_queue(world.org1)
    assert queue[0].answer == world.answer_a and queue[0].disagreement == pytest.approx(4.0)
    overrides.save_override(results.result_of(world.answer_a), world.reviewer1, [1, 1, 1], "checked")
    assert [r.answer for r in overrides.review_queue(world.org1)] == [second]
    assert overrides.review_queue(world.org2) == []


def test_csv_export_has_a_row_per_candidate_and_is_safe_in_spreadsheets(world, client):
    _finish(world)
    world.team_set.invites.create(email="=cmd@example.com")
    login(client, world.manager1)
    response = client.get(reverse("set_results_csv", args=[world.team_set.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_email = {r["candidate"]: r for r in rows}
    row = by_email["a@example.com"]
    assert row["status"] == "finished" and row["answered"] == "2" and float(row["total_percent"]) >= 0
    assert any(k.startswith("skill: ") and row[k] for k in row)
    assert "'=cmd@example.com" in by_email and by_email["'=cmd@example.com"]["status"] == "invited"


def test_the_transcript_is_printable(world, client):
    login(client, world.reviewer1)
    page = client.get(reverse("transcript", args=[world.session_a.pk]))
    assert b"data-print" in page.content and b'data-testid="transcript-entry"' in page.content
    # The button's handler is static JS (no inline script under the Content-Security-Policy).
    assert "window.print()" in Path(finders.find("js/print.js")).read_text()
    css = Path(finders.find("css/app.css")).read_text()
    assert "@media print" in css and ".no-print" in css


def test_an_attempt_whose_time_ran_out_shows_as_time_up_with_the_time_limit_as_duration(world):
    from datetime import timedelta

    from django.utils import timezone

    from interviews.models import InterviewSession

    start = timezone.now() - timedelta(hours=2)
    InterviewSession.objects.filter(pk=world.session_a.pk).update(
        started_at=start, deadline=start + timedelta(minutes=30)
    )
    [row] = results.attempts(world.team_set)
    assert row.status == "time up" and row.minutes == 30.0


def test_the_results_table_is_paged(world, client):
    from hiring.models import AssessmentInvite
    from hiring.views.results import RESULTS_PER_PAGE

    AssessmentInvite.objects.bulk_create(
        AssessmentInvite(question_set=world.team_set, email=f"c{i}@example.com", expires_at=world.session_a.started_at)
        for i in range(RESULTS_PER_PAGE)
    )
    login(client, world.manager1)
    url = reverse("set_results", args=[world.team_set.pk])
    first, second = client.get(url).context, client.get(url, {"page": 2}).context
    assert len(first["rows"]) == RESULTS_PER_PAGE and len(second["rows"]) == 1
    emails = {r.invite.email for r in first["rows"]} | {r.invite.email for r in second["rows"]}
    assert len(emails) == RESULTS_PER_PAGE + 1


def test_the_largest_disagreements_between_reviewers_and_the_grader_come_first(world, client):
    second = _finish(world)
    Grade.objects.filter(answer=world.answer_a).update(score=4.5)
    Grade.objects.filter(answer=second).update(score=1.0)
    overrides.save_override(results.result_of(world.answer_a), world.reviewer1, [0, 0, 0], "wrong on every point")
    points = [c["max_points"] for c in overrides.criteria_for_override(results.result_of(second))]
    overrides.save_override(results.result_of(second), world.reviewer1, [p / 2 for p in points], "half right")
    ranked = overrides.largest_disagreements(world.org1)
    assert [r.answer for r in ranked] == [world.answer_a, second]
    assert ranked[0].human_gap == pytest.approx(4.5) and ranked[1].human_gap == pytest.approx(1.5)
    login(client, world.reviewer1)
    page = client.get(reverse("review_queue", args=[world.org1.slug]))
    assert b'data-testid="disagreements"' in page.content and b"Review again" in page.content
    assert overrides.largest_disagreements(world.org2) == []


def test_answer_rows_say_what_answer_results_say(world):
    """The results table and CSV read plain rows (results.answer_rows); each figure must
    match AnswerResult's, computed from the grades and overrides as objects: a plain grade,
    an override, a rubric edited since grading and a regrade in flight."""
    from hiring.services.results import answer_rows, results_for
    from interviews.grading.service import regrade
    from interviews.models import Answer

    second = _finish(world)
    first = world.answer_a
    rows = overrides.criteria_for_override(results.result_of(first))
    overrides.save_override(results.result_of(first), world.reviewer1, [0] * len(rows), "Misses the point.")
    criterion = second.question.criteria.first()
    criterion.text += " (edited)"
    criterion.save()

    def compare() -> set[tuple[bool, ...]]:
        expected = {
            r.answer.pk: (
                r.score,
                r.pending,
                r.outdated,
                r.override is None and r.grade is not None and r.grade.needs_review,
                r.override is not None,
            )
            for r in results_for(Answer.objects.filter(session=world.session_a))
        }
        got = {
            row.answer_id: (row.score, row.pending, row.outdated, row.needs_review, row.reviewed)
            for session_id, row in answer_rows([world.session_a.pk])
            if session_id == world.session_a.pk
        }
        assert got == expected
        # The results page's count of outdated grades is the bulk regrade's list, counted.
        assert results.count_outdated(world.team_set) == len(results.outdated_answer_ids(world.team_set))
        return {flags[1:] for flags in got.values()}

    # The overridden answer is reviewed; the other's grade used the rubric before the edit.
    assert compare() == {(False, False, False, True), (False, True, False, False)}
    regrade([second], "offline", world.manager1)  # queued, not run: in flight, so not outdated
    assert compare() == {(False, False, False, True), (True, False, False, False)}


def test_the_results_page_leaves_the_agreement_figures_to_a_request_of_their_own(world, client):
    _finish(world)
    result = results.result_of(world.answer_a)
    overrides.save_override(result, world.reviewer1, [0, 0, 0], "reviewed")
    login(client, world.manager1)
    url = reverse("set_agreement", args=[world.team_set.pk])
    page = client.get(reverse("set_results", args=[world.team_set.pk])).content.decode()
    # The results page only asks for them, when scrolled to; a plain link without JavaScript.
    assert f'hx-get="{url}" hx-trigger="revealed"' in page and f'<a href="{url}">' in page
    assert 'data-testid="agreement-mae"' not in page
    mae = floatformat(agreement_for(world.team_set).overall.mae, 2)
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div data-testid="agreement-figures">') and "<html" not in html
    assert f'<strong data-testid="agreement-mae">{mae}</strong>' in html and "HX-Request" in fragment["Vary"]
    whole = client.get(url).content.decode()
    assert "<html" in whole and f'<strong data-testid="agreement-mae">{mae}</strong>' in whole
