"""The offline grader measured against the team's golden set, and the evaluation and
grading commands."""

import csv
import json

import pytest
from django.core.management import call_command

from interviews.grading import calibration
from interviews.grading.datasets import golden, write_csv
from interviews.grading.evaluation import evaluate
from interviews.grading.service import regrade, run_grade
from interviews.models import Answer, Grade
from tests.factories import GradeFactory, UserFactory


@pytest.fixture(scope="module")
def golden_rows():
    return golden()


def test_the_golden_set_has_150_answers_spread_over_all_scores(golden_rows):
    assert len(golden_rows) >= 150
    counts = {s: sum(1 for r in golden_rows if r.score == s) for s in range(6)}
    assert all(n >= 15 for n in counts.values()), counts
    assert len({r.group for r in golden_rows}) >= 45


def test_the_offline_grader_agrees_with_the_golden_set_on_questions_it_was_not_fitted_on(golden_rows):
    result = evaluate(golden_rows, "offline", cv_groups=True)
    assert result.pearson >= 0.75
    assert result.qwk >= 0.7


def test_the_shipped_calibration_is_fitted_and_monotone():
    shipped = calibration.current()
    assert shipped.n > 0 and shipped.fitted_on != "uncalibrated default"
    assert all(c >= 0 for c in shipped.weights)


def test_evaluate_grader_prints_the_agreement_as_json(golden_rows, tmp_path, capsys):
    path = tmp_path / "golden.csv"
    write_csv(golden_rows[:40], path)
    call_command("evaluate_grader", "--csv", str(path), "--grader", "offline", "--json", "--cv-groups", "group")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"n", "pearson", "spearman", "rmse", "qwk", "grader", "coverage"}
    assert out["n"] == 40 and 0 <= out["coverage"] <= 1


def test_evaluate_grader_reads_csvs_without_rubric_or_group_and_with_max_score(tmp_path, capsys):
    path = tmp_path / "plain.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "reference_answer", "answer", "score", "max_score"])
        reference = "Bagging averages many trees trained on bootstrap samples, which lowers variance."
        writer.writerow(["Why does bagging help?", reference, reference, 2, 2])
        writer.writerow(["Why does bagging help?", reference, "It makes trees deeper.", 0, 2])
        writer.writerow(["Why does bagging help?", reference, "It averages trees so variance drops.", 1, 2])
    call_command("evaluate_grader", "--csv", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 3 and out["pearson"] > 0


def test_grade_command_prints_the_score_and_each_criterion(tmp_path, capsys):
    path = tmp_path / "item.json"
    path.write_text(
        json.dumps(
            {
                "question": "Why does bagging reduce variance?",
                "reference_answer": "Averaging many high-variance trees trained on bootstrap samples reduces variance.",
                "rubric": [
                    "Says bagging averages models trained on bootstrap samples.",
                    "Says averaging cuts variance.",
                ],
                "answer": "Each tree sees a bootstrap sample; averaging their predictions cancels noise.",
            }
        )
    )
    call_command("grade", "--item", str(path), "--grader", "offline", "--json")
    out = json.loads(capsys.readouterr().out)
    assert 0 <= out["score"] <= 5
    assert [c["max_points"] for c in out["criteria"]] == [1, 1]
    assert out["grader"] == "offline"


@pytest.mark.django_db
def test_regrading_keeps_the_history_and_the_earlier_grade_counts_until_it_finishes(
    django_capture_on_commit_callbacks, enqueued
):
    first = GradeFactory(answer__text="Averaging trees reduces variance because their errors partly cancel out.")
    run_grade(first.pk)
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        [second] = regrade([first.answer], "llm", staff)
    assert enqueued == [second.pk]
    assert second.requested_grader == "llm" and second.requested_by == staff
    answer = Answer.objects.get(pk=first.answer_id)
    assert answer.counted_grade == first and answer.shown_grade == first  # the regrade is still queued
    assert Grade.objects.filter(answer=first.answer).count() == 2
    first.refresh_from_db()
    assert first.status == Grade.Status.DONE  # history is kept as it was
    with pytest.raises(ValueError):
        regrade([first.answer], "astrology", staff)
